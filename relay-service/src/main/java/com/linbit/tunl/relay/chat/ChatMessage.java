package com.linbit.tunl.relay.chat;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "chat_message")
class ChatMessage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "session_id", nullable = false, length = 64)
    private String sessionId;

    @Column(nullable = false, length = 64)
    private String author;

    @Column(name = "sent_at", nullable = false)
    private Instant sentAt;

    @Column(nullable = false, length = ChatText.MAX_CHARS)
    private String text;

    protected ChatMessage() {
    }

    ChatMessage(String sessionId, String author, Instant sentAt, String text) {
        this.sessionId = sessionId;
        this.author = author;
        this.sentAt = sentAt;
        this.text = text;
    }

    ChatLine toLine() {
        return new ChatLine(id, author, sentAt, text);
    }
}
