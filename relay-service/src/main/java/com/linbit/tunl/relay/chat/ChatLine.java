package com.linbit.tunl.relay.chat;

import java.time.Instant;

/** One stored chat line: who wrote it ({@code customer} or an engineer), when, and what. */
public record ChatLine(long id, String author, Instant sentAt, String text) {
}
