package com.linbit.tunl.relay.audit;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/audit/verify} on real PostgreSQL: intact, then broken at exactly the row a
 * database superuser changed or removed behind the append-only trigger's back.
 */
class AuditVerifyIT {

    @TempDir
    Path temp;
    /** One relay per test: each breaks its own chain. */
    static TestRelay relay;

    @BeforeEach
    void startRelay() {
        relay = TestRelay.start(temp.resolve("relay"));
        for (String name : List.of("ann", "ben", "cid", "dora")) {
            HttpResponse<String> created = relay.asAdmin("POST", "/api/admin/users", "application/json",
                    "{\"username\":\"" + name + "\",\"password\":\"auditor-password-1\",\"role\":\"AUDITOR\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void verifyFindsExactlyTheRowThatWasChangedOrRemoved() {
        long events = relay.jdbc().sql("select count(*) from audit_event").query(Long.class).single();
        assertThat(events).isGreaterThanOrEqualTo(4);
        HttpResponse<String> intact = relay.get("/api/audit/verify", "ann", "auditor-password-1");
        assertThat(intact.statusCode()).isEqualTo(200);
        assertThat(intact.body()).contains("\"intact\":true", "\"verified\":" + events);
        assertThat(relay.get("/api/audit/verify").statusCode()).as("no login, no answer").isEqualTo(401);

        List<Long> ids = relay.jdbc().sql("select id from audit_event order by id").query(Long.class).list();
        long changed = ids.get(ids.size() / 2);
        bypassingTheTrigger("update audit_event set details = 'nothing happened' where id = " + changed);
        HttpResponse<String> tampered = relay.asAdmin("GET", "/api/audit/verify", "text/plain", null);
        assertThat(tampered.body()).contains("\"intact\":false", "\"brokenAtId\":" + changed,
                "\"verified\":" + ids.indexOf(changed), "was changed after it was written");
    }

    @Test
    void aRemovedRowBreaksTheChainAtTheRowAfterIt() {
        HttpResponse<String> created = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"eve\",\"password\":\"auditor-password-1\",\"role\":\"AUDITOR\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        List<Long> ids = relay.jdbc().sql("select id from audit_event order by id").query(Long.class).list();
        long removed = ids.get(1);
        bypassingTheTrigger("delete from audit_event where id = " + removed);
        HttpResponse<String> verified = relay.asAdmin("GET", "/api/audit/verify", "text/plain", null);
        assertThat(verified.body()).contains("\"intact\":false", "\"brokenAtId\":" + ids.get(2),
                "does not follow the event before it");
    }

    /** As the database superuser: replica mode skips the append-only trigger for this transaction. */
    private static void bypassingTheTrigger(String statement) {
        relay.jdbc().sql("set local session_replication_role = replica; " + statement).update();
    }
}
