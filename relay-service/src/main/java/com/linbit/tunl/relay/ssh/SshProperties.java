package com.linbit.tunl.relay.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The SSH front door.
 *
 * @param port                   listening port (0 picks a free one, for tests)
 * @param bindAddress            address to listen on
 * @param publicPort             port customers and engineers connect to, when a load balancer
 *                               maps another one to {@link #port}; 0 means the same as the bound port
 * @param hostKey                the relay's host private key; default {@code <data-dir>/ssh_host_ed25519_key}
 * @param caKey                  the relay CA private key; default {@code <data-dir>/relay_ca_ed25519_key}
 * @param hostCertificate        where the relay writes the host certificate it issues itself;
 *                               default next to the host key (set it when the keys are read-only,
 *                               e.g. mounted from a Kubernetes Secret)
 * @param extraCaPublicKeys      further trusted CA public keys (OpenSSH lines), for CA rotation
 * @param certificateValidity    lifetime of the host certificate the relay issues itself
 * @param certificateRenewBefore renew the host certificate when less than this is left
 * @param authTimeout            time a client has to authenticate
 * @param maxAuthAttempts        authentication requests per connection before it is dropped
 * @param maxChannelsPerConnection concurrent channels one connection may open
 * @param maxConnectionsPerAddress concurrent SSH connections from one source address
 * @param unknownSessionAttemptsPerMinute customer connections a minute from one address that may
 *                               name a session they cannot have before that address is refused
 *                               for the rest of the minute
 * @param commandThreads         threads that run SSH commands (never MINA's I/O threads)
 * @param heartbeatInterval      how often the relay asks every connection for a keepalive reply
 * @param heartbeatMaxMissed     unanswered keepalives in a row after which a connection is cut
 * @param idleTimeout            a connection with no traffic at all for this long is closed
 * @param viewerBuffer           output queued for one {@code join} viewer before it is resynced
 * @param readBuffer             what one read from a connection's socket takes at most; every
 *                               connection holds one, so it is most of an idle session's memory
 *                               from a fresh snapshot instead
 */
@Validated
@ConfigurationProperties("tunl.ssh")
public record SshProperties(
        @Min(0) @Max(65535) @DefaultValue("2222") int port,
        @NotBlank @DefaultValue("0.0.0.0") String bindAddress,
        @Min(0) @Max(65535) @DefaultValue("0") int publicPort,
        Path hostKey,
        Path caKey,
        Path hostCertificate,
        @NotNull @DefaultValue List<String> extraCaPublicKeys,
        @NotNull @DefaultValue("90d") Duration certificateValidity,
        @NotNull @DefaultValue("30d") Duration certificateRenewBefore,
        @NotNull @DefaultValue("30s") Duration authTimeout,
        @Min(1) @Max(20) @DefaultValue("6") int maxAuthAttempts,
        @Min(1) @Max(1000) @DefaultValue("10") int maxChannelsPerConnection,
        @Min(1) @Max(100000) @DefaultValue("50") int maxConnectionsPerAddress,
        @Min(1) @Max(10000) @DefaultValue("10") int unknownSessionAttemptsPerMinute,
        @Min(1) @Max(512) @DefaultValue("16") int commandThreads,
        @NotNull @DefaultValue("8MB") DataSize viewerBuffer,
        @NotNull @DefaultValue("16KB") DataSize readBuffer,
        @NotNull @DefaultValue("25s") Duration heartbeatInterval,
        @Min(1) @Max(100) @DefaultValue("3") int heartbeatMaxMissed,
        @NotNull @DefaultValue("10m") Duration idleTimeout) {

    public SshProperties {
        if (readBuffer != null && (readBuffer.toBytes() < 1024 || readBuffer.toBytes() > 1024 * 1024)) {
            throw new IllegalArgumentException("tunl.ssh.read-buffer must be between 1KB and 1MB, not " + readBuffer);
        }
    }
}
