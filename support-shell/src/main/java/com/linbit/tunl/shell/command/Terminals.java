package com.linbit.tunl.shell.command;

import java.io.IOException;

import org.jline.terminal.Terminal;

/** Hands the terminal to a child process (tmux, ssh) and back. */
final class Terminals {

    private Terminals() {
    }

    interface Child {
        int run() throws IOException, InterruptedException;
    }

    /** The console's line reader must not compete with the child for the keyboard. */
    static int whilePaused(Terminal terminal, Child child) throws IOException, InterruptedException {
        if (terminal != null) {
            terminal.pause();
        }
        try {
            return child.run();
        } finally {
            if (terminal != null) {
                terminal.resume();
            }
        }
    }
}
