package com.linbit.tunl.shell;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * This same {@code tunl}, started again as a helper process (a join window's pane, a ssh
 * ProxyCommand): no Spring, a small heap, quick start.
 */
public final class SelfCommand {

    private SelfCommand() {
    }

    /** The command line for {@code tunl <hidden> <args...>}. */
    public static List<String> of(String hidden, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<String> jvm = List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m");
        List<String> program = classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator)
                ? List.of("-jar", classPath)
                : List.of("-cp", classPath, TunlShellApplication.class.getName());
        return Stream.of(jvm, program, List.of(hidden), List.of(args)).flatMap(List::stream).toList();
    }

    /** {@link #of} as one line for a shell (ssh runs a ProxyCommand through {@code sh -c}). */
    public static String shellLine(List<String> words) {
        return String.join(" ", words.stream().map(word -> "'" + word.replace("'", "'\\''") + "'").toList());
    }
}
