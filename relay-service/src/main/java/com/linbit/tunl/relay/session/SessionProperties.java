package com.linbit.tunl.relay.session;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param claimTimeout how long a new session waits for the customer before it expires
 * @param expiryCheckInterval how often waiting sessions are checked for expiry
 */
@Validated
@ConfigurationProperties("tunl.session")
public record SessionProperties(
        @NotNull @DefaultValue("24h") Duration claimTimeout,
        @NotNull @DefaultValue("30s") Duration expiryCheckInterval) {
}
