package com.linbit.tunl.shell;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import com.linbit.tunl.shell.join.PaneClient;
import com.linbit.tunl.shell.relay.ShellConfig;
import com.linbit.tunl.shell.tunnel.ProxyClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * {@code tunl}: the support engineer's console. Without arguments it is the interactive
 * {@code tunl>} shell; {@code tunl COMMAND [ARGS]} runs one command and exits with its status.
 */
@SpringBootApplication
public class TunlShellApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(PaneClient.COMMAND)) {
            // A window of a local join tmux: no Spring, it only carries bytes.
            System.exit(PaneClient.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals(ProxyClient.COMMAND)) {
            // The ProxyCommand of tunl ssh and tunl browser: its standard output is the SSH stream.
            System.exit(ProxyClient.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(run(args));
    }

    /** Runs the console and returns the process exit status. */
    public static int run(String... args) {
        ConsoleFlags flags;
        try {
            flags = ConsoleFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tunl: " + e.getMessage());
            return 2;
        }
        String[] words = Arrays.stream(flags.rest()).map(arg -> arg.equals("--version") ? "version" : arg).toArray(String[]::new);
        boolean oneShot = Arrays.stream(words).anyMatch(arg -> !isSpringArgument(arg));
        SpringApplication application = new SpringApplication(TunlShellApplication.class);
        Map<String, Object> defaults = new HashMap<>();
        defaults.put("spring.shell.interactive.enabled", String.valueOf(!oneShot));
        // History lives next to the config file, found the same way ($XDG_CONFIG_HOME, $HOME).
        defaults.put("spring.shell.config.location", ShellConfig.file(System.getenv()).getParent().toString());
        flags.overrides().forEach((variable, value) -> defaults.put(ConsoleFlags.property(variable), value));
        application.setDefaultProperties(defaults);
        return SpringApplication.exit(application.run(words));
    }

    static boolean isSpringArgument(String arg) {
        return arg.startsWith("--spring.") || arg.startsWith("--logging.");
    }
}
