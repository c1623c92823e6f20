package com.linbit.tunl.relay.api;

import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.linbit.tunl.relay.accounts.HttpRole;
import com.linbit.tunl.relay.accounts.HttpUser;
import com.linbit.tunl.relay.accounts.HttpUserService;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** HTTP logins for admins and auditors. */
@RestController
@RequestMapping("/api/admin/users")
class AdminUsersController {

    private final HttpUserService users;

    AdminUsersController(HttpUserService users) {
        this.users = users;
    }

    @GetMapping
    List<UserView> users() {
        return users.users().stream().map(UserView::of).toList();
    }

    @PostMapping
    ResponseEntity<UserView> create(@RequestBody(required = false) NewUser body, Principal admin) {
        if (body == null) {
            throw new BadRequestException("send {\"username\": \"...\", \"password\": \"...\", \"role\": \"AUDITOR\"}");
        }
        HttpUser created = users.create(body.username(), body.password(), role(body.role()), admin.getName());
        return ResponseEntity.created(URI.create("/api/admin/users/" + created.getUsername()))
                .body(UserView.of(created));
    }

    private static HttpRole role(String role) {
        if (role == null) {
            throw new BadRequestException("role is required: ADMIN or AUDITOR");
        }
        try {
            return HttpRole.valueOf(role.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown role '" + role + "'; use ADMIN or AUDITOR");
        }
    }

    record NewUser(String username, String password, String role) {
    }

    record UserView(String username, String role, Instant createdAt) {
        static UserView of(HttpUser user) {
            return new UserView(user.getUsername(), user.getRole().name(), user.getCreatedAt());
        }
    }
}
