package com.linbit.tunl.relay.keys;

import java.time.Clock;
import java.util.List;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Registers and revokes engineers' SSH keys; every change is audited and reaches SSH at once. */
@Service
public class KeyService {

    private final EngineerRepository engineers;
    private final SupportKeyRepository keys;
    private final KeyRegistry registry;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    KeyService(EngineerRepository engineers, SupportKeyRepository keys, KeyRegistry registry,
               AuditLog audit, TransactionTemplate transactions, Clock clock) {
        this.engineers = engineers;
        this.keys = keys;
        this.registry = registry;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Adds a key, creating the engineer on first use. */
    public SupportKey addKey(String engineerName, String publicKeyLine, String actor) {
        EngineerNames.requireValid(engineerName);
        ParsedPublicKey parsed = ParsedPublicKey.parse(publicKeyLine);
        SupportKey added = transactions.execute(status -> {
            if (keys.existsByFingerprintAndRevokedAtIsNull(parsed.fingerprint())) {
                throw new DuplicateKeyException(parsed.fingerprint());
            }
            Engineer engineer = engineers.findByName(engineerName)
                    .orElseGet(() -> engineers.save(new Engineer(engineerName, clock.instant())));
            SupportKey key = keys.save(new SupportKey(engineer, parsed, clock.instant()));
            audit.record(AuditEntry.of(AuditEventType.KEY_ADDED, actor)
                    .details("engineer=" + engineerName + " key=" + key.getId() + " " + parsed.fingerprint()));
            return key;
        });
        registry.refresh();
        return added;
    }

    /** Revokes a key; live SSH connections that logged in with it are cut by the SSH layer. */
    public SupportKey revokeKey(String engineerName, long keyId, String actor) {
        SupportKey revoked = transactions.execute(status -> {
            Engineer engineer = engineer(engineerName);
            SupportKey key = keys.findByIdAndEngineer(keyId, engineer)
                    .orElseThrow(() -> new NotFoundException("engineer " + engineerName + " has no key " + keyId));
            if (!key.isRevoked()) {
                key.revoke(clock.instant());
                audit.record(AuditEntry.of(AuditEventType.KEY_REVOKED, actor)
                        .details("engineer=" + engineerName + " key=" + keyId + " " + key.getFingerprint()));
            }
            return key;
        });
        registry.refresh();
        return revoked;
    }

    public List<Engineer> engineers() {
        return engineers.findAllByOrderByNameAsc();
    }

    public List<SupportKey> keysOf(String engineerName) {
        return transactions.execute(status -> keys.findByEngineerOrderByIdAsc(engineer(engineerName)));
    }

    private Engineer engineer(String name) {
        return engineers.findByName(name)
                .orElseThrow(() -> new NotFoundException("no engineer named " + name));
    }
}
