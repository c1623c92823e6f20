package com.linbit.tunl.shell.command;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrailingWordsCommandParserTest {

    @Test
    void wordsAfterADoubleDashStayWholeForTheCommand() {
        TrailingWordsCommandParser.Split split = TrailingWordsCommandParser.split("ssh swift-fox --user bob -- sh -c \"echo 'hi there'\" x");
        assertThat(split.head()).isEqualTo("ssh swift-fox --user bob ");
        assertThat(split.trailing()).containsExactly("sh", "-c", "echo 'hi there'", "x");
    }

    @Test
    void aQuoteLeftOpenStillEndsTheLastWord() {
        assertThat(TrailingWordsCommandParser.split("ssh id -- echo \"unfinished words").trailing())
                .containsExactly("echo", "unfinished words");
    }

    @Test
    void withoutADoubleDashOrWithAQuotedOneNothingChanges() {
        assertThat(TrailingWordsCommandParser.split("chat swift-fox hello --say").trailing()).isEmpty();
        TrailingWordsCommandParser.Split quoted = TrailingWordsCommandParser.split("chat swift-fox \"--\" hi");
        assertThat(quoted.head()).isEqualTo("chat swift-fox \"--\" hi");
        assertThat(quoted.trailing()).isEmpty();
        assertThat(TrailingWordsCommandParser.split("ssh id --").trailing()).isEqualTo(List.of());
        assertThat(TrailingWordsCommandParser.split("ssh id --").head()).isEqualTo("ssh id ");
    }
}
