package com.linbit.tunl.relay;

import java.nio.file.Path;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every feature shares.
 *
 * @param dataDir    where the relay keeps its keys, the embedded database and recordings
 * @param publicHost the name customers and engineers use to reach the relay; it is a principal
 *                   of the host certificate and the host of the published known_hosts line
 */
@Validated
@ConfigurationProperties("tunl")
public record RelayProperties(
        @NotNull @DefaultValue("./tunl-data") Path dataDir,
        @NotBlank @DefaultValue("localhost") String publicHost) {
}
