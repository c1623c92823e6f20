package com.linbit.tunl.relay.accounts;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A login for the admin and auditor HTTP API; only a password hash is stored. */
@Entity
@Table(name = "http_user")
public class HttpUser {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String username;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private HttpRole role;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected HttpUser() {
    }

    HttpUser(String username, String passwordHash, HttpRole role, Instant createdAt) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
        this.createdAt = createdAt;
    }

    public String getUsername() {
        return username;
    }

    String getPasswordHash() {
        return passwordHash;
    }

    public HttpRole getRole() {
        return role;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
