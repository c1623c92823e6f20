package com.linbit.tunl.relay.session;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param claimTimeout how long a new session waits for the customer before it expires
 * @param expiryCheckInterval how often sessions are checked for expiry
 * @param maxDuration how long a claimed session may run; it is closed then, so anything granted
 *                    for it (a tunnel key's expiry-time) can be bounded by its end
 * @param reconnectTimeout how long a session waits for its customer's agent to reconnect before it
 *                    is closed ({@code customer-lost}); longer than the agent's own 15 minutes
 * @param idleTimeout  a connected session without input or output for this long is closed
 *                     ({@code idle}); watching is not activity
 * @param idleWarnings how long before the idle close everyone is warned in the chat
 * @param maxOpenPerEngineer sessions one engineer may have open (waiting, active or reconnecting)
 */
@Validated
@ConfigurationProperties("tunl.session")
public record SessionProperties(
        @NotNull @DefaultValue("24h") Duration claimTimeout,
        @NotNull @DefaultValue("30s") Duration expiryCheckInterval,
        @NotNull @DefaultValue("12h") Duration maxDuration,
        @NotNull @DefaultValue("20m") Duration reconnectTimeout,
        @NotNull @DefaultValue("60m") Duration idleTimeout,
        @NotNull @DefaultValue({"5m", "1m"}) List<Duration> idleWarnings,
        @jakarta.validation.constraints.Min(1) @DefaultValue("20") int maxOpenPerEngineer) {
}
