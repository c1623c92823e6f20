package com.linbit.tunl.relay.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param username the first admin's name, created on first start when no admin exists
 * @param password its password ({@code TUNL_ADMIN_PASSWORD}); when unset a random one is
 *                 generated and printed once in the log
 */
@Validated
@ConfigurationProperties("tunl.admin")
public record AccountsProperties(@DefaultValue("admin") String username, String password) {
}
