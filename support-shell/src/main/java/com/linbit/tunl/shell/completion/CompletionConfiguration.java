package com.linbit.tunl.shell.completion;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.CommandRegistry;
import org.springframework.shell.core.command.completion.CompletionProvider;
import org.springframework.shell.jline.CommandCompleter;

/** Tab completion: session IDs from the relay for the commands that take one first. */
@Configuration(proxyBeanMethods = false)
class CompletionConfiguration {

    /** Named on {@code @Command(completionProvider = "sessionIds")}. */
    @Bean
    CompletionProvider sessionIds(Relay relay) {
        return new SessionIdProposals(relay);
    }

    /** Replaces Spring Shell's own completer, which never completes a partly typed first argument. */
    @Bean
    CommandCompleter commandCompleter(CommandRegistry registry) {
        return new PositionalCommandCompleter(registry);
    }
}
