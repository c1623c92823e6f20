package com.linbit.tunl.shell.join;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaneWireTest {

    @Test
    void keysAndSizesRoundTripAndLongPastesAreSplit() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PaneWire.size(wire, 132, 43);
        byte[] paste = new byte[PaneWire.MAX_PAYLOAD + 10];
        PaneWire.keys(wire, paste, paste.length);

        ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());
        PaneWire.Message size = PaneWire.read(in);
        assertThat(size.keys()).isNull();
        assertThat(size.columns()).isEqualTo(132);
        assertThat(size.rows()).isEqualTo(43);
        assertThat(PaneWire.read(in).keys()).hasSize(PaneWire.MAX_PAYLOAD);
        assertThat(PaneWire.read(in).keys()).hasSize(10);
        assertThat(PaneWire.read(in)).isNull();
    }

    @Test
    void aTruncatedMessageIsTheEndAndAnUnknownOneIsRefused() throws IOException {
        assertThat(PaneWire.read(new ByteArrayInputStream(new byte[] {PaneWire.KEYS, 0, 5, 'a'}))).isNull();
        assertThatThrownBy(() -> PaneWire.read(new ByteArrayInputStream(new byte[] {9, 0, 0})))
                .hasMessageContaining("unknown pane message type 9");
        assertThatThrownBy(() -> PaneWire.read(new ByteArrayInputStream(new byte[] {PaneWire.KEYS, (byte) 0xff, (byte) 0xff})))
                .hasMessageContaining("at most " + PaneWire.MAX_PAYLOAD);
    }
}
