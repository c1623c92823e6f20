package com.linbit.tunl.relay.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linbit.tunl.relay.RelayProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * A real PostgreSQL server kept in {@code <data-dir>/postgres} for when no database URL is
 * configured: one command starts the relay on a fresh machine, and its data survives restarts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoDatasourceUrlCondition.class)
class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(RelayProperties relay) throws IOException {
        Path dataDirectory = relay.dataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(dataDirectory.getParent());
        log.info("No spring.datasource.url configured: starting embedded PostgreSQL in {}", dataDirectory);
        return EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .start();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("tunl-embedded");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }
}
