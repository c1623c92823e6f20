package com.linbit.tunl.relay.accounts;

import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Creates the first admin when none exists, so a fresh relay can be managed at once. Its password
 * comes from {@code TUNL_ADMIN_PASSWORD}; without it a random one is printed once, and never again.
 */
@Component
class BootstrapAdmin implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final HttpUserService users;
    private final AccountsProperties properties;

    BootstrapAdmin(HttpUserService users, AccountsProperties properties) {
        this.users = users;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (users.adminExists()) {
            return;
        }
        boolean generated = !StringUtils.hasText(properties.password());
        String password = generated ? randomPassword() : properties.password();
        users.create(properties.username(), password, HttpRole.ADMIN, "relay");
        if (generated) {
            log.warn("Created the first admin user '{}' with the generated password: {}  (shown only"
                    + " this once; set TUNL_ADMIN_PASSWORD to choose it yourself)", properties.username(), password);
        } else {
            log.info("Created the first admin user '{}' with the password from TUNL_ADMIN_PASSWORD",
                    properties.username());
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
