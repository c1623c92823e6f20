package com.linbit.tunl.shell;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import com.linbit.tunl.shell.relay.Relay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.shell.core.command.availability.Availability;
import org.springframework.shell.core.command.availability.AvailabilityProvider;
import org.springframework.shell.jline.PromptProvider;

@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    @Bean
    PromptProvider tunlPrompt() {
        return () -> new AttributedString("tunl> ", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN));
    }

    /** Relay commands are unavailable, with the way out, until {@code setup} has run. */
    @Bean
    AvailabilityProvider relayConfigured(Relay relay) {
        return () -> relay.isConfigured()
                ? Availability.available()
                : Availability.unavailable("tunl is not set up yet: run setup --relay HOST:PORT --ca-file FILE"
                        + " (the relay's CA keys, from https://RELAY/ca.pub)");
    }
}
