package com.linbit.tunl.relay.api;

import com.linbit.tunl.relay.RelayProperties;
import com.linbit.tunl.relay.ssh.RelayIdentity;
import com.linbit.tunl.relay.ssh.RelaySshServer;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public half of the relay's identity, for clients to pin. No login needed. */
@RestController
class RelayIdentityController {

    private final RelayIdentity identity;
    private final RelaySshServer ssh;
    private final RelayProperties relay;

    RelayIdentityController(RelayIdentity identity, RelaySshServer ssh, RelayProperties relay) {
        this.identity = identity;
        this.ssh = ssh;
        this.relay = relay;
    }

    /** Every trusted relay CA public key, one OpenSSH line each. */
    @GetMapping(path = "/ca.pub", produces = MediaType.TEXT_PLAIN_VALUE)
    String caPublicKeys() {
        return String.join("\n", identity.trustedCaLines()) + "\n";
    }

    /** Lines to append to a known_hosts file so {@code ssh} verifies this relay through its CA. */
    @GetMapping(path = "/known_hosts", produces = MediaType.TEXT_PLAIN_VALUE)
    String knownHosts() {
        return String.join("\n", identity.knownHostsLines(relay.publicHost(), ssh.publicPort())) + "\n";
    }
}
