package com.linbit.tunl.relay.keys;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * An in-memory copy of the live key set, so SSH authentication is a map lookup on the I/O thread
 * and never a database query. It is reloaded after every local change and every couple of seconds,
 * which is how a revocation made on another replica reaches this one.
 */
@Component
public class KeyRegistry implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(KeyRegistry.class);

    private final SupportKeyRepository keys;
    private final EngineerRepository engineers;
    private final ApplicationEventPublisher events;
    private volatile Snapshot snapshot = Snapshot.EMPTY;

    KeyRegistry(SupportKeyRepository keys, EngineerRepository engineers, ApplicationEventPublisher events) {
        this.keys = keys;
        this.engineers = engineers;
        this.events = events;
    }

    /** Decides a public-key login for {@code username}. */
    public KeyCheck check(String username, PublicKey offered) {
        Snapshot current = snapshot;
        if (!current.engineerNames.contains(username)) {
            return KeyCheck.refused(KeyCheck.UNKNOWN_USER);
        }
        String fingerprint = ParsedPublicKey.fingerprint(offered);
        ActiveKey active = current.active.get(fingerprint);
        if (active != null && active.engineer().equals(username)) {
            return KeyCheck.accepted(active.keyId(), fingerprint);
        }
        if (current.revokedFingerprints.contains(fingerprint)) {
            return KeyCheck.refused(KeyCheck.REVOKED_KEY);
        }
        return KeyCheck.refused(KeyCheck.UNKNOWN_KEY);
    }

    /** The engineer's active public keys as OpenSSH lines ({@code type base64}), e.g. to install for a tunnel. */
    public List<String> publicKeyLines(String engineer) {
        return snapshot.linesByEngineer.getOrDefault(engineer, List.of());
    }

    /** Whether a key id may still be used; connections holding a key that is not are cut. */
    public boolean isActive(long keyId) {
        return snapshot.activeKeyIds.contains(keyId);
    }

    /** Loads before the SSH server starts, so the first login already sees every key. */
    @Override
    public void afterSingletonsInstantiated() {
        refresh();
    }

    @Scheduled(fixedDelayString = "${tunl.keys.refresh-interval:2s}", initialDelayString = "${tunl.keys.refresh-interval:2s}")
    public synchronized void refresh() {
        Snapshot previous = snapshot;
        Snapshot next;
        try {
            next = load();
        } catch (RuntimeException e) {
            log.warn("Could not reload support keys, keeping the previous set: {}", e.getMessage());
            return;
        }
        snapshot = next;
        Set<Long> gone = new HashSet<>(previous.activeKeyIds);
        gone.removeAll(next.activeKeyIds);
        if (!gone.isEmpty()) {
            events.publishEvent(new SupportKeysRevoked(Set.copyOf(gone)));
        }
    }

    private Snapshot load() {
        List<SupportKey> activeKeys = keys.findAllActive();
        Map<String, ActiveKey> active = new HashMap<>();
        Set<Long> ids = new HashSet<>();
        Map<String, List<String>> lines = new HashMap<>();
        for (SupportKey key : activeKeys) {
            active.put(key.getFingerprint(), new ActiveKey(key.getId(), key.getEngineer().getName()));
            ids.add(key.getId());
            lines.computeIfAbsent(key.getEngineer().getName(), name -> new ArrayList<>()).add(key.getPublicKey());
        }
        lines.replaceAll((name, list) -> List.copyOf(list));
        Set<String> names = new HashSet<>();
        engineers.findAll().forEach(engineer -> names.add(engineer.getName()));
        return new Snapshot(Map.copyOf(active), Set.copyOf(ids),
                Set.copyOf(keys.findRevokedFingerprints()), Set.copyOf(names), Map.copyOf(lines));
    }

    private record ActiveKey(long keyId, String engineer) {
    }

    private record Snapshot(Map<String, ActiveKey> active, Set<Long> activeKeyIds,
                            Set<String> revokedFingerprints, Set<String> engineerNames,
                            Map<String, List<String>> linesByEngineer) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Set.of(), Set.of(), Set.of(), Map.of());
    }
}
