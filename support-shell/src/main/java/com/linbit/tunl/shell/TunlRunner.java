package com.linbit.tunl.shell;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Collectors;

import com.linbit.tunl.shell.relay.ExitStatusException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.env.Environment;
import org.springframework.shell.core.InputReader;
import org.springframework.shell.core.ShellRunner;
import org.springframework.shell.core.command.CommandContext;
import org.springframework.shell.core.command.CommandExecutionException;
import org.springframework.shell.core.command.CommandExecutor;
import org.springframework.shell.core.command.CommandNotFoundException;
import org.springframework.shell.core.command.CommandParser;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.ExitStatus;
import org.springframework.stereotype.Component;

/**
 * Runs the console: the interactive shell, or one command whose failure becomes a non-zero exit
 * status and a one-line message instead of a stack trace (Spring Shell's own one-shot runner does
 * neither).
 */
@Component
class TunlRunner implements ApplicationRunner, ExitCodeGenerator {

    private final ObjectProvider<ShellRunner> shell;
    private final CommandParser parser;
    private final CommandRegistry registry;
    private final Environment environment;
    private int exitCode;

    TunlRunner(ObjectProvider<ShellRunner> shell, CommandParser parser, CommandRegistry registry, Environment environment) {
        this.shell = shell;
        this.parser = parser;
        this.registry = registry;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        if (environment.getProperty("spring.shell.interactive.enabled", Boolean.class, true)) {
            shell.getObject().run(new String[0]);
            return;
        }
        String line = Arrays.stream(args.getSourceArgs())
                .filter(arg -> !TunlShellApplication.isSpringArgument(arg))
                .map(TunlRunner::quote)
                .collect(Collectors.joining(" "));
        if (line.isBlank()) {
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        try {
            ExitStatus status = new CommandExecutor(registry)
                    .execute(new CommandContext(parser.parse(line), registry, out, new InputReader() {
                    }));
            out.flush();
            exitCode = status.code() == 0 ? 0 : Math.abs(status.code());
            // An unavailable command has already said why, with the way out.
            if (exitCode != 0 && status.code() != ExitStatus.AVAILABILITY_ERROR.code()) {
                System.err.println("tunl: " + status.description());
            }
        } catch (CommandNotFoundException e) {
            System.err.println("tunl: unknown command '" + e.getCommandName() + "'; run tunl help");
            exitCode = 2;
        } catch (CommandExecutionException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            System.err.println("tunl: " + cause.getMessage());
            exitCode = cause instanceof ExitStatusException status ? status.exitStatus() : 1;
        } catch (IllegalArgumentException e) {
            System.err.println("tunl: " + e.getMessage());
            exitCode = 2;
        }
    }

    /** The shell split the words already; quote the ones with spaces so the parser keeps them whole. */
    private static String quote(String word) {
        return word.matches(".*\\s.*") ? "\"" + word.replace("\"", "\\\"") + "\"" : word;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
