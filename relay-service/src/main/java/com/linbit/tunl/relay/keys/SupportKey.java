package com.linbit.tunl.relay.keys;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** One registered SSH public key of an engineer; revoked keys are kept for the record. */
@Entity
@Table(name = "support_key")
public class SupportKey {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "engineer_id")
    private Engineer engineer;

    @Column(nullable = false, length = 100)
    private String fingerprint;

    @Column(name = "key_type", nullable = false, length = 64)
    private String keyType;

    @Column(name = "public_key", nullable = false)
    private String publicKey;

    @Column(length = 255)
    private String comment;

    @Column(name = "added_at", nullable = false)
    private Instant addedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected SupportKey() {
    }

    SupportKey(Engineer engineer, ParsedPublicKey key, Instant addedAt) {
        this.engineer = engineer;
        this.fingerprint = key.fingerprint();
        this.keyType = key.type();
        this.publicKey = key.canonicalLine();
        this.comment = key.comment();
        this.addedAt = addedAt;
    }

    void revoke(Instant at) {
        this.revokedAt = at;
    }

    public Long getId() {
        return id;
    }

    public Engineer getEngineer() {
        return engineer;
    }

    public String getFingerprint() {
        return fingerprint;
    }

    public String getKeyType() {
        return keyType;
    }

    public String getPublicKey() {
        return publicKey;
    }

    public String getComment() {
        return comment;
    }

    public Instant getAddedAt() {
        return addedAt;
    }

    public Instant getRevokedAt() {
        return revokedAt;
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
