package com.linbit.tunl.agent;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.linbit.tunl.protocol.Frame;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemReportsTest {

    @Test
    void aProblemReachesTheCustomerAndTheEngineersOnceNotOnEveryRepeat() {
        List<String> pane = new ArrayList<>();
        List<Frame> relay = new ArrayList<>();
        ProblemReports reports = new ProblemReports(pane::add, relay::add);

        for (int i = 0; i < 50; i++) {
            reports.report("typing", "keys typed by alice did not reach the shell: tmux send-keys failed");
        }
        reports.report("snapshot", "the shared shell could not be captured for support's view: x".repeat(20));

        assertThat(pane).hasSize(2);
        assertThat(pane.get(0)).isEqualTo("* keys typed by alice did not reach the shell: tmux send-keys failed");
        assertThat(relay).hasSize(2).first()
                .isEqualTo(new Frame.AgentNotice("keys typed by alice did not reach the shell: tmux send-keys failed"));
        assertThat(((Frame.AgentNotice) relay.get(1)).text()).hasSize(503).endsWith("...");
    }
}
