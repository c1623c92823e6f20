package com.linbit.tunl.relay.api;

import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

import com.linbit.tunl.relay.audit.AuditEntry;
import com.linbit.tunl.relay.audit.AuditEventType;
import com.linbit.tunl.relay.audit.AuditLog;
import com.linbit.tunl.relay.audit.AuditQueries;
import com.linbit.tunl.relay.keys.NotFoundException;
import com.linbit.tunl.relay.recording.Recordings;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The auditor's view of sessions (roles AUDITOR and ADMIN; reading a recording is itself audited). */
@RestController
@RequestMapping("/api/audit/sessions")
class AuditSessionsController {

    static final MediaType ASCIICAST = MediaType.parseMediaType("application/x-asciicast");
    private static final int MAX_PAGE_SIZE = 500;

    private final AuditQueries queries;
    private final Recordings recordings;
    private final AuditLog audit;

    AuditSessionsController(AuditQueries queries, Recordings recordings, AuditLog audit) {
        this.queries = queries;
        this.recordings = recordings;
        this.audit = audit;
    }

    @GetMapping
    AuditQueries.Page<AuditQueries.SessionRow> sessions(@RequestParam(required = false) String from,
                                                        @RequestParam(required = false) String to,
                                                        @RequestParam(name = "case", required = false) String caseNumber,
                                                        @RequestParam(required = false) String engineer,
                                                        @RequestParam(required = false) String state,
                                                        @RequestParam(defaultValue = "0") int page,
                                                        @RequestParam(defaultValue = "50") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new BadRequestException("page must be 0 or more and size 1 to " + MAX_PAGE_SIZE);
        }
        String upperState = state == null || state.isBlank() ? null : state.strip().toUpperCase(Locale.ROOT);
        if (upperState != null && !List.of("WAITING", "ACTIVE", "RECONNECTING", "CLOSED").contains(upperState)) {
            throw new BadRequestException("unknown state '" + state + "'; one of waiting, active, reconnecting, closed");
        }
        return queries.sessions(new AuditQueries.SessionFilter(instant("from", from), instant("to", to),
                blankToNull(caseNumber), blankToNull(engineer), upperState), page, size);
    }

    /** Everything about one session, with each recording part's hash check. */
    record SessionReport(AuditQueries.SessionDetail detail, List<Recordings.PartCheck> recordings) {
    }

    @GetMapping("/{id}")
    SessionReport session(@PathVariable String id) {
        AuditQueries.SessionDetail detail = queries.session(id).orElseThrow(() -> unknown(id));
        return new SessionReport(detail, recordings.check(id));
    }

    @GetMapping("/{id}/events")
    List<AuditQueries.Event> events(@PathVariable String id) {
        queries.session(id).orElseThrow(() -> unknown(id));
        return queries.events(id);
    }

    @GetMapping("/{id}/chat")
    List<AuditQueries.ChatLine> chat(@PathVariable String id) {
        queries.session(id).orElseThrow(() -> unknown(id));
        return queries.chat(id);
    }

    @GetMapping("/{id}/recording")
    ResponseEntity<StreamingResponseBody> recording(@PathVariable String id, Principal auditor) {
        queries.session(id).orElseThrow(() -> unknown(id));
        if (!recordings.hasRecording(id)) {
            throw new NotFoundException("session " + id + " has no finished recording yet");
        }
        audit.record(AuditEntry.of(AuditEventType.RECORDING_VIEWED, auditor.getName()).session(id));
        StreamingResponseBody cast = out -> recordings.export(id, new OutputStreamWriter(out, StandardCharsets.UTF_8));
        return ResponseEntity.ok().contentType(ASCIICAST)
                .header("Content-Disposition", "attachment; filename=\"" + id + ".cast\"")
                .body(cast);
    }

    private static NotFoundException unknown(String id) {
        return new NotFoundException("no session " + id);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-11-24T00:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
