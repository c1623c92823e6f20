package com.linbit.tunl.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** {@code linbit-tunl}: the command a customer runs to share a shell with support. */
public final class Main {

    static final String USAGE = """
            usage: linbit-tunl [--restricted | --tunnel] [--relay HOST[:PORT]] [--relay-ca FILE] [--ssh-port N]
                               [--reconnect-for TIME] [--outage-buffer SIZE] [--proxy URL] <session-id>

            Shares this terminal's shell with LINBIT support for the session support gave you.
              (default)      share: support watches, may type, and chats with you
              --restricted   support only watches and chats; cannot type
              --tunnel       share, plus a reverse SSH tunnel opened at start
              --relay        relay address (default tunl.linbit.com:443; env TUNL_RELAY)
              --relay-ca     file with extra trusted relay CA keys (env TUNL_RELAY_CA)
              --ssh-port     where a granted tunnel leads: this machine's sshd port (default 22)
              --reconnect-for  how long to keep trying when the relay is lost (default 15m; e.g. 90s, 2h)
              --outage-buffer  output kept for the relay while it is out of reach (default 16M)
              --proxy        reach the relay through this HTTP proxy, http://[user:pass@]host:port
                             (default: https_proxy / HTTPS_PROXY, unless no_proxy names the relay)
            Running it again with the same session ID resumes the session (and its shell, if still running).
            In the session: Ctrl-b o switches between shell and chat, Ctrl-b Q ends the session.
            When support asks for a tunnel: Ctrl-b G grants, Ctrl-b D denies, Ctrl-b R revokes it later.""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length == 1 && args[0].equals("--version")) {
            out.println("linbit-tunl " + version());
            return 0;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, env);
        } catch (AgentOptions.UsageError e) {
            err.println("linbit-tunl: " + e.getMessage());
            err.println("Run linbit-tunl --help for how to use it.");
            return 2;
        }
        try {
            LocalAccount account = LocalAccount.current();
            StateDirectory state = StateDirectory.of(account, env);
            logTo(state);
            return new AgentSession(options, state, out, err).run();
        } catch (IOException e) {
            err.println("linbit-tunl: " + e.getMessage());
            return 1;
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /** The customer's terminal is for the session; the agent's log goes to a file in the state folder. */
    private static void logTo(StateDirectory state) throws IOException {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.addHandler(new LogFile(state.log()));
        root.setLevel(Level.INFO);
        Logger.getLogger("org.apache.sshd").setLevel(Level.WARNING);
    }
}
