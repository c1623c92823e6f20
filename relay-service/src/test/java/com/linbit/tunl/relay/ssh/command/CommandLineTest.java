package com.linbit.tunl.relay.ssh.command;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

    @Test
    void splitsLikeAShell() throws UsageException {
        assertThat(CommandLine.split("create-session --case 4711")).containsExactly("create-session", "--case", "4711");
        assertThat(CommandLine.split("  a   'b c'  \"d \\\"e\\\"\" f\\ g ")).containsExactly("a", "b c", "d \"e\"", "f g");
        assertThat(CommandLine.split("x ''")).containsExactly("x", "");
        assertThat(CommandLine.split("")).isEmpty();
    }

    @Test
    void refusesBrokenQuoting() {
        assertThatThrownBy(() -> CommandLine.split("a 'b")).hasMessage("unterminated single quote in command line");
        assertThatThrownBy(() -> CommandLine.split("a \"b")).hasMessage("unterminated double quote in command line");
        assertThatThrownBy(() -> CommandLine.split("a \\")).hasMessage("command line ends with a lone backslash");
        assertThatThrownBy(() -> CommandLine.split("x".repeat(9000))).hasMessageContaining("longer than");
    }

    @Test
    void parsesOptions() throws UsageException {
        Arguments args = Arguments.parse("c", List.of("--case=1", "--note", "hi there", "pos"), Set.of("case", "note"), Set.of("mine"));
        assertThat(args.option("case")).isEqualTo("1");
        assertThat(args.option("note")).isEqualTo("hi there");
        assertThat(args.positional()).containsExactly("pos");
        assertThat(args.flag("mine")).isFalse();

        assertThatThrownBy(() -> Arguments.parse("c", List.of("--case"), Set.of("case"), Set.of()))
                .hasMessage("c: option --case needs a value");
        assertThatThrownBy(() -> Arguments.parse("c", List.of("--x"), Set.of("case"), Set.of()))
                .hasMessage("c: unknown option --x; see 'help'");
        assertThatThrownBy(() -> Arguments.parse("c", List.of("--case", "1", "--case", "2"), Set.of("case"), Set.of()))
                .hasMessage("c: option --case given twice");
    }
}
