package com.linbit.tunl.relay.support;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Every thread of this JVM with its stack, for a failure message worth reading. */
public final class ThreadDump {

    private ThreadDump() {
    }

    public static String all() {
        return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
                .map(ThreadDump::format)
                .collect(Collectors.joining("\n"));
    }

    private static String format(ThreadInfo info) {
        StringBuilder out = new StringBuilder("\"" + info.getThreadName() + "\" " + info.getThreadState());
        if (info.getLockName() != null) {
            out.append(" on ").append(info.getLockName());
        }
        if (info.getLockOwnerName() != null) {
            out.append(" owned by \"").append(info.getLockOwnerName()).append('"');
        }
        out.append('\n');
        for (StackTraceElement frame : info.getStackTrace()) {
            out.append("    at ").append(frame).append('\n');
        }
        return out.toString();
    }
}
