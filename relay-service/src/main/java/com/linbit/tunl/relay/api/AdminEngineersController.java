package com.linbit.tunl.relay.api;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;

import com.linbit.tunl.relay.keys.Engineer;
import com.linbit.tunl.relay.keys.KeyService;
import com.linbit.tunl.relay.keys.SupportKey;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Support engineers and their SSH keys. */
@RestController
@RequestMapping("/api/admin/engineers")
class AdminEngineersController {

    private final KeyService keys;

    AdminEngineersController(KeyService keys) {
        this.keys = keys;
    }

    @GetMapping
    List<EngineerView> engineers() {
        return keys.engineers().stream().map(EngineerView::of).toList();
    }

    @GetMapping("/{name}/keys")
    List<KeyView> keysOf(@PathVariable String name) {
        return keys.keysOf(name).stream().map(KeyView::of).toList();
    }

    @PostMapping(path = "/{name}/keys", consumes = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<KeyView> addKeyLine(@PathVariable String name, @RequestBody(required = false) String line,
                                       Principal admin) {
        return added(name, keys.addKey(name, line, admin.getName()));
    }

    @PostMapping(path = "/{name}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<KeyView> addKeyJson(@PathVariable String name, @RequestBody(required = false) NewKey body,
                                       Principal admin) {
        if (body == null || body.publicKey() == null) {
            throw new BadRequestException("send {\"publicKey\": \"ssh-ed25519 AAAA... comment\"}"
                    + " or the key line itself as text/plain");
        }
        return added(name, keys.addKey(name, body.publicKey(), admin.getName()));
    }

    @DeleteMapping("/{name}/keys/{id}")
    KeyView revoke(@PathVariable String name, @PathVariable long id, Principal admin) {
        return KeyView.of(keys.revokeKey(name, id, admin.getName()));
    }

    private static ResponseEntity<KeyView> added(String name, SupportKey key) {
        return ResponseEntity.created(URI.create("/api/admin/engineers/" + name + "/keys/" + key.getId()))
                .body(KeyView.of(key));
    }

    record NewKey(String publicKey) {
    }

    record EngineerView(String name, Instant createdAt) {
        static EngineerView of(Engineer engineer) {
            return new EngineerView(engineer.getName(), engineer.getCreatedAt());
        }
    }

    record KeyView(long id, String fingerprint, String type, String comment, Instant addedAt, Instant revokedAt) {
        static KeyView of(SupportKey key) {
            return new KeyView(key.getId(), key.getFingerprint(), key.getKeyType(), key.getComment(),
                    key.getAddedAt(), key.getRevokedAt());
        }
    }
}
