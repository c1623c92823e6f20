package com.linbit.tunl.relay.accounts;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** HTTP users: creation (admins only, audited) and lookup for Spring Security. */
@Service
public class HttpUserService implements UserDetailsService {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9._-]{0,63}");

    private final HttpUserRepository users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;

    HttpUserService(HttpUserRepository users, PasswordEncoder passwords, AuditLog audit, Clock clock) {
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    public HttpUser create(String username, String password, HttpRole role, String actor) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new AccountRejectedException("username must be 1-64 characters: a lowercase letter, then"
                    + " lowercase letters, digits, '.', '_' or '-'", false);
        }
        if (role == null) {
            throw new AccountRejectedException("role must be ADMIN or AUDITOR", false);
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new AccountRejectedException("password must be at least " + MIN_PASSWORD_LENGTH
                    + " characters", false);
        }
        if (users.existsByUsername(username)) {
            throw new AccountRejectedException("user " + username + " already exists", true);
        }
        HttpUser user = users.save(new HttpUser(username, passwords.encode(password), role, clock.instant()));
        audit.record(AuditEntry.of(AuditEventType.HTTP_USER_CREATED, actor)
                .details("user=" + username + " role=" + role));
        return user;
    }

    @Transactional(readOnly = true)
    public List<HttpUser> users() {
        return users.findAllByOrderByUsernameAsc();
    }

    @Transactional(readOnly = true)
    boolean adminExists() {
        return users.existsByRole(HttpRole.ADMIN);
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        HttpUser user = users.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(user.getUsername())
                .password(user.getPasswordHash())
                .roles(user.getRole().name())
                .build();
    }
}
