package com.linbit.tunl.relay.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL server the tests share, and a fresh database in it for every relay a test
 * starts. Where it comes from, in order: {@code TUNL_TEST_JDBC_URL} (with {@code TUNL_TEST_JDBC_USER}
 * and {@code TUNL_TEST_JDBC_PASSWORD}), a Testcontainers container when a Docker engine answers, or
 * an embedded real PostgreSQL. Never anything but PostgreSQL.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Server server;

    private TestPostgres() {
    }

    /** A database no other test uses. */
    public static synchronized Database newDatabase() {
        if (server == null) {
            server = startServer();
        }
        String name = "tunl_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(server.adminUrl(), server.user(), server.password());
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new Database(server.urlFor(name), server.user(), server.password());
    }

    /** Superuser access to the shared server, e.g. to tamper with a row the relay cannot touch. */
    public static Connection superuser(Database database) throws SQLException {
        return DriverManager.getConnection(database.url(), server.user(), server.password());
    }

    private static Server startServer() {
        String url = System.getenv("TUNL_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Server(url, env("TUNL_TEST_JDBC_USER", "postgres"), env("TUNL_TEST_JDBC_PASSWORD", ""));
        }
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:18-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // the JVM is going away; the temporary cluster goes with it
                }
            }));
            return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL for tests", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    public record Database(String url, String user, String password) {
    }

    private record Server(String adminUrl, String user, String password) {
        String urlFor(String database) {
            int query = adminUrl.indexOf('?');
            String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
            String params = query < 0 ? "" : adminUrl.substring(query);
            return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
        }
    }
}
