package com.linbit.tunl.shell.completion;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIdProposalsTest {

    @Test
    void theFirstColumnBelowTheHeaderIsTheId() {
        String table = """
                ID                              STATE         CASE      CREATED BY    AGE
                swift-fox-jumps-barrel          active        4711      alice         3m
                calm-bear-naps-log              waiting       -         bob           0s
                """;
        assertThat(SessionIdProposals.parseSessionsTable(table)).containsExactly("swift-fox-jumps-barrel", "calm-bear-naps-log");
        assertThat(SessionIdProposals.parseSessionsTable("ID  STATE\n")).isEmpty();
    }
}
