package com.linbit.tunl.relay.recording;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code tunl.recording.*}.
 *
 * @param directory     where recordings go; default {@code <data-dir>/recordings}
 * @param onFailure     what happens to a session whose recording cannot be written
 * @param flushInterval how often a recording reaches the disk at the latest
 * @param maxBacklog    output waiting for a slow disk; past this the recording has failed
 */
@Validated
@ConfigurationProperties("tunl.recording")
public record RecordingProperties(
        Path directory,
        @NotNull @DefaultValue("end") OnFailure onFailure,
        @NotNull @DefaultValue("1s") Duration flushInterval,
        @NotNull @DefaultValue("64MB") DataSize maxBacklog) {

    /** {@code end}: the session ends (the default); {@code continue}: it goes on, unrecorded, with a warning. */
    public enum OnFailure {
        END, CONTINUE
    }
}
