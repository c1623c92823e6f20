package com.linbit.tunl.relay.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.linbit.tunl.relay.RelayApplication;
import com.linbit.tunl.relay.ssh.RelaySshServer;

import com.linbit.tunl.testing.OpenSshClient;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real relay for tests: SSH and HTTP on ephemeral loopback ports, its own data folder, and a
 * real PostgreSQL database (a fresh one from {@link TestPostgres}, or, with {@link #embedded}, the
 * relay's own embedded server in the data folder, exactly as in production).
 */
public final class TestRelay implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "test-admin-password-1";

    private final ConfigurableApplicationContext context;
    private final Path dataDir;
    private final Map<String, String> properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestRelay(ConfigurableApplicationContext context, Path dataDir, Map<String, String> properties) {
        this.context = context;
        this.dataDir = dataDir;
        this.properties = properties;
    }

    /**
     * Stops this relay and starts a new one on the same database and data folder (new ports), as
     * a rolling update or a crash-and-restart would.
     */
    public TestRelay restart() {
        close();
        return start(dataDir, new LinkedHashMap<>(properties));
    }

    /** A relay on a fresh database in the shared test PostgreSQL. */
    public static TestRelay start(Path dataDir, String... extraProperties) {
        TestPostgres.Database database = TestPostgres.newDatabase();
        Map<String, String> properties = baseProperties(dataDir);
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.datasource.password", database.password());
        return start(dataDir, properties, extraProperties);
    }

    /** A relay that brings up its own embedded PostgreSQL in {@code <dataDir>/postgres}. */
    public static TestRelay embedded(Path dataDir, String... extraProperties) {
        return start(dataDir, baseProperties(dataDir), extraProperties);
    }

    private static TestRelay start(Path dataDir, Map<String, String> properties, String... extra) {
        for (String property : extra) {
            int equals = property.indexOf('=');
            properties.put(property.substring(0, equals), property.substring(equals + 1));
        }
        String[] args = properties.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RelayApplication.class).run(args);
        return new TestRelay(context, dataDir, properties);
    }

    private static Map<String, String> baseProperties(Path dataDir) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("tunl.data-dir", dataDir.toString());
        properties.put("tunl.ssh.port", "0");
        properties.put("tunl.ssh.bind-address", "127.0.0.1");
        properties.put("tunl.admin.password", ADMIN_PASSWORD);
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.main.banner-mode", "off");
        return properties;
    }

    public int sshPort() {
        return context.getBean(RelaySshServer.class).port();
    }

    public int httpPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public JdbcClient jdbc() {
        return context.getBean(JdbcClient.class);
    }

    /** Audit rows of one type, oldest first, as "reason|actor|details" strings. */
    public List<String> audit(String type) {
        return jdbc().sql("select coalesce(reason,'') || '|' || coalesce(actor,'') || '|' || coalesce(details,'')"
                        + " from audit_event where type = ? order by id")
                .param(type).query(String.class).list();
    }

    public HttpResponse<String> get(String path, String user, String password) {
        return send(request(path, user, password).GET().build());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path, null, null).GET().build());
    }

    /** A new ed25519 key for {@code engineer}, registered through the admin API; returns the private key file. */
    public Path registerEngineer(OpenSshClient ssh, String engineer) {
        Path key = ssh.generateKey(engineer, "ed25519", 0);
        HttpResponse<String> added = asAdmin("POST", "/api/admin/engineers/" + engineer + "/keys", "text/plain",
                OpenSshClient.publicKeyOf(key));
        if (added.statusCode() != 201) {
            throw new IllegalStateException("registering " + engineer + " failed: " + added.body());
        }
        return key;
    }

    /** The relay's CA keys (GET /ca.pub), written to {@code file}, as the customer agent pins them. */
    public Path saveCa(Path file) throws IOException {
        Files.writeString(file, get("/ca.pub").body());
        return file;
    }

    public HttpResponse<String> asAdmin(String method, String path, String contentType, String body) {
        return send(method, path, "admin", ADMIN_PASSWORD, contentType, body);
    }

    public HttpResponse<String> send(String method, String path, String user, String password,
                                     String contentType, String body) {
        return send(method, path, user, password, contentType, body, Map.of());
    }

    /** As {@link #send(String, String, String, String, String, String)}, with more request headers. */
    public HttpResponse<String> send(String method, String path, String user, String password,
                                     String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder request = request(path, user, password);
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return send(request.build());
    }

    private HttpRequest.Builder request(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP " + request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
