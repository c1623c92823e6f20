package com.linbit.tunl.relay.session;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A support session, named by its four-word ID. */
@Entity
@Table(name = "support_session")
public class SupportSession {

    @Id
    @Column(length = 64)
    private String id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private SessionState state;

    @Column(name = "case_number", length = 64)
    private String caseNumber;

    @Column(length = 500)
    private String note;

    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "claim_deadline", nullable = false)
    private Instant claimDeadline;

    @Column(name = "claimed_at")
    private Instant claimedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    @Column(name = "disconnected_at")
    private Instant disconnectedAt;

    @Column(name = "tunnel_engineer", length = 64)
    private String tunnelEngineer;

    @Column(name = "tunnel_expires_at")
    private Instant tunnelExpiresAt;

    @Column(name = "close_reason", length = 32)
    private String closeReason;

    @Enumerated(EnumType.STRING)
    @Column(length = 16)
    private SessionMode mode;

    @Column(name = "customer_key_fingerprint", length = 100)
    private String customerKeyFingerprint;

    @Column(name = "customer_host", length = 255)
    private String customerHost;

    @Column(name = "customer_address", length = 128)
    private String customerAddress;

    @Version
    private long version;

    protected SupportSession() {
    }

    SupportSession(String id, String caseNumber, String note, String createdBy, Instant createdAt,
                   Instant claimDeadline) {
        this.id = id;
        this.state = SessionState.WAITING;
        this.caseNumber = caseNumber;
        this.note = note;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.claimDeadline = claimDeadline;
    }

    void claim(String keyFingerprint, SessionMode mode, String host, String address, Instant at) {
        this.customerKeyFingerprint = keyFingerprint;
        this.mode = mode;
        this.customerHost = host;
        this.customerAddress = address;
        this.state = SessionState.ACTIVE;
        if (this.claimedAt == null) {
            this.claimedAt = at;
        }
    }

    void disconnected(Instant at) {
        if (state == SessionState.ACTIVE) {
            state = SessionState.RECONNECTING;
            disconnectedAt = at;
        }
    }

    public Instant getDisconnectedAt() {
        return disconnectedAt;
    }

    void tunnelGranted(String engineer, Instant expiresAt) {
        tunnelEngineer = engineer;
        tunnelExpiresAt = expiresAt;
    }

    public String getTunnelEngineer() {
        return tunnelEngineer;
    }

    public Instant getTunnelExpiresAt() {
        return tunnelExpiresAt;
    }

    void close(Instant at, String reason) {
        this.state = SessionState.CLOSED;
        this.closedAt = at;
        this.closeReason = reason;
    }

    public String getId() {
        return id;
    }

    public SessionState getState() {
        return state;
    }

    public String getCaseNumber() {
        return caseNumber;
    }

    public String getNote() {
        return note;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getClaimDeadline() {
        return claimDeadline;
    }

    public Instant getClaimedAt() {
        return claimedAt;
    }

    public Instant getClosedAt() {
        return closedAt;
    }

    public String getCloseReason() {
        return closeReason;
    }

    public SessionMode getMode() {
        return mode;
    }

    public String getCustomerKeyFingerprint() {
        return customerKeyFingerprint;
    }

    public String getCustomerHost() {
        return customerHost;
    }

    public String getCustomerAddress() {
        return customerAddress;
    }
}
