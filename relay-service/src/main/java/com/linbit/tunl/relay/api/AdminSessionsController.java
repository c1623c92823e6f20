package com.linbit.tunl.relay.api;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.linbit.tunl.relay.session.SessionService;
import com.linbit.tunl.relay.session.SessionState;
import com.linbit.tunl.relay.session.SupportSession;

import java.security.Principal;

import com.linbit.tunl.relay.keys.NotFoundException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Support sessions, as admins and auditors see them. */
@RestController
@RequestMapping("/api/admin/sessions")
class AdminSessionsController {

    private final SessionService sessions;

    AdminSessionsController(SessionService sessions) {
        this.sessions = sessions;
    }

    /** Sessions in {@code state}; without it, every session that is not closed. */
    @GetMapping
    List<SessionView> sessions(@RequestParam(required = false) String state) {
        List<SupportSession> found = state == null || state.isBlank()
                ? sessions.openSessions()
                : sessions.sessionsIn(parse(state));
        return found.stream().map(SessionView::of).toList();
    }

    /** Closes an open session for good (reason {@code admin}): the customer and every engineer are told. */
    @DeleteMapping("/{id}")
    ResponseEntity<Void> close(@PathVariable String id, Principal admin) {
        if (!sessions.close(id, "admin", admin.getName())) {
            throw new NotFoundException("no open session " + id);
        }
        return ResponseEntity.noContent().build();
    }

    private static SessionState parse(String state) {
        try {
            return SessionState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("unknown state '" + state
                    + "'; use one of waiting, active, reconnecting, closed");
        }
    }

    record SessionView(String id, String state, String caseNumber, String note, String createdBy,
                       Instant createdAt, Instant claimDeadline, Instant claimedAt, Instant closedAt,
                       String closeReason) {
        static SessionView of(SupportSession s) {
            return new SessionView(s.getId(), s.getState().name().toLowerCase(Locale.ROOT), s.getCaseNumber(),
                    s.getNote(), s.getCreatedBy(), s.getCreatedAt(), s.getClaimDeadline(), s.getClaimedAt(),
                    s.getClosedAt(), s.getCloseReason());
        }
    }
}
