package com.linbit.tunl.relay.tunnel;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tunl.tunnel.*}: how long an engineer's key stays valid on the customer's machine after a
 * grant ({@code expiry-time} in authorized_keys; the agent removes it earlier when the tunnel or
 * session ends), and how long {@code request-tunnel} waits for the customer's answer.
 */
@Validated
@ConfigurationProperties("tunl.tunnel")
public record TunnelProperties(
        @NotNull @DefaultValue("12h") Duration keyLifetime,
        @NotNull @DefaultValue("2m") Duration decisionWait) {
}
