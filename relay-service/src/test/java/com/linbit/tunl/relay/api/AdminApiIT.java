package com.linbit.tunl.relay.api;

import java.net.http.HttpResponse;
import java.util.Map;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.linbit.tunl.testing.OpenSshClient;
import com.linbit.tunl.relay.support.TestRelay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin HTTP API on a real relay and PostgreSQL: roles, keys, users, problem details. */
class AdminApiIT {

    @TempDir
    static Path temp;
    static TestRelay relay;
    static OpenSshClient keys;

    @BeforeAll
    static void startRelay() {
        relay = TestRelay.start(temp.resolve("relay"));
        keys = new OpenSshClient(temp.resolve("home"), "");
        HttpResponse<String> auditor = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"audrey\",\"password\":\"auditor-password-1\",\"role\":\"AUDITOR\"}");
        assertThat(auditor.statusCode()).as(auditor.body()).isEqualTo(201);
    }

    @AfterAll
    static void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void loginIsRequiredAndAnsweredWithProblemDetails() {
        HttpResponse<String> anonymous = relay.get("/api/admin/engineers");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(anonymous.body()).contains("\"status\":401");

        assertThat(relay.get("/api/admin/engineers", "admin", "wrong-password").statusCode()).isEqualTo(401);
    }

    @Test
    void publicEndpointsNeedNoLogin() {
        HttpResponse<String> ca = relay.get("/ca.pub");
        assertThat(ca.statusCode()).isEqualTo(200);
        assertThat(ca.body()).startsWith("ssh-ed25519 ").endsWith(" tunl-relay-ca\n");

        HttpResponse<String> knownHosts = relay.get("/known_hosts");
        assertThat(knownHosts.body()).isEqualTo("@cert-authority [localhost]:" + relay.sshPort() + ",[127.0.0.1]:"
                + relay.sshPort() + " " + ca.body());

        HttpResponse<String> health = relay.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void auditorReadsButCannotWrite() {
        assertThat(relay.get("/api/admin/engineers", "audrey", "auditor-password-1").statusCode()).isEqualTo(200);
        assertThat(relay.get("/api/admin/sessions", "audrey", "auditor-password-1").statusCode()).isEqualTo(200);

        Path key = keys.generateKey("carol", "ed25519", 0);
        HttpResponse<String> write = relay.send("POST", "/api/admin/engineers/carol/keys", "audrey", "auditor-password-1",
                "text/plain", OpenSshClient.publicKeyOf(key));
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("\"status\":403");
        HttpResponse<String> user = relay.send("POST", "/api/admin/users", "audrey", "auditor-password-1",
                "application/json", "{\"username\":\"eve\",\"password\":\"eve-password-123\",\"role\":\"ADMIN\"}");
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(relay.get("/api/admin/engineers/carol/keys", "admin", TestRelay.ADMIN_PASSWORD).statusCode()).isEqualTo(404);
    }

    @Test
    void keysAreAddedAsTextOrJsonListedAndRevoked() {
        Path textKey = keys.generateKey("dave-1", "ed25519", 0);
        HttpResponse<String> added = relay.asAdmin("POST", "/api/admin/engineers/dave/keys", "text/plain",
                OpenSshClient.publicKeyOf(textKey));
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(added.body()).containsPattern("\"id\":\\d+").contains("\"fingerprint\":\"SHA256:", "\"type\":\"ssh-ed25519\"", "\"addedAt\":");
        assertThat(added.body()).contains(fingerprint(textKey));

        Path jsonKey = keys.generateKey("dave-2", "ecdsa", 256);
        HttpResponse<String> json = relay.asAdmin("POST", "/api/admin/engineers/dave/keys", "application/json",
                "{\"publicKey\":\"" + OpenSshClient.publicKeyOf(jsonKey) + "\"}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(201);
        assertThat(json.body()).contains("\"type\":\"ecdsa-sha2-nistp256\"");

        assertThat(relay.asAdmin("GET", "/api/admin/engineers", null, null).body()).contains("\"name\":\"dave\"");
        String listed = relay.asAdmin("GET", "/api/admin/engineers/dave/keys", null, null).body();
        assertThat(listed).contains(fingerprint(textKey), fingerprint(jsonKey));

        String id = added.body().replaceAll("(?s).*\"id\":(\\d+).*", "$1");
        HttpResponse<String> revoked = relay.asAdmin("DELETE", "/api/admin/engineers/dave/keys/" + id, null, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.body()).containsPattern("\"revokedAt\":\"\\d{4}-");
        assertThat(relay.asAdmin("DELETE", "/api/admin/engineers/dave/keys/999999", null, null).statusCode()).isEqualTo(404);
        assertThat(relay.audit("key-added")).anyMatch(row -> row.contains("|admin|engineer=dave"));
    }

    @Test
    void badKeysGetClearProblems() {
        HttpResponse<String> malformed = relay.asAdmin("POST", "/api/admin/engineers/erin/keys", "text/plain", "ssh-ed25519 not-base64!");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(malformed.body()).contains("not a valid OpenSSH public key line");

        Path weak = keys.generateKey("erin-weak", "rsa", 2048);
        HttpResponse<String> tooWeak = relay.asAdmin("POST", "/api/admin/engineers/erin/keys", "text/plain", OpenSshClient.publicKeyOf(weak));
        assertThat(tooWeak.statusCode()).isEqualTo(400);
        assertThat(tooWeak.body()).contains("RSA key is too weak (2048 bits); use at least 3072 bits");

        Path strong = keys.generateKey("erin-strong", "rsa", 3072);
        assertThat(relay.asAdmin("POST", "/api/admin/engineers/erin/keys", "text/plain", OpenSshClient.publicKeyOf(strong)).statusCode()).isEqualTo(201);
        HttpResponse<String> duplicate = relay.asAdmin("POST", "/api/admin/engineers/frank/keys", "text/plain", OpenSshClient.publicKeyOf(strong));
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.body()).contains("already registered");

        HttpResponse<String> privateKey = relay.asAdmin("POST", "/api/admin/engineers/erin/keys", "text/plain",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----");
        assertThat(privateKey.statusCode()).isEqualTo(400);
        assertThat(privateKey.body()).contains("that is a private key");

        HttpResponse<String> emptyJson = relay.asAdmin("POST", "/api/admin/engineers/erin/keys", "application/json", "{}");
        assertThat(emptyJson.statusCode()).isEqualTo(400);
        assertThat(emptyJson.body()).contains("publicKey");

        HttpResponse<String> badName = relay.asAdmin("POST", "/api/admin/engineers/swift-fox-jumps-barrel/keys", "text/plain",
                OpenSshClient.publicKeyOf(keys.generateKey("name-clash", "ed25519", 0)));
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(badName.body()).contains("must not look like a session ID");
    }

    @Test
    void usersAndSessionFiltersValidateInput() {
        HttpResponse<String> shortPassword = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"gina\",\"password\":\"short\",\"role\":\"AUDITOR\"}");
        assertThat(shortPassword.statusCode()).isEqualTo(400);
        assertThat(shortPassword.body()).contains("at least 12 characters");

        HttpResponse<String> badRole = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"gina\",\"password\":\"long-enough-password\",\"role\":\"ROOT\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(badRole.body()).contains("unknown role 'ROOT'");

        HttpResponse<String> duplicate = relay.asAdmin("POST", "/api/admin/users", "application/json",
                "{\"username\":\"audrey\",\"password\":\"long-enough-password\",\"role\":\"AUDITOR\"}");
        assertThat(duplicate.statusCode()).isEqualTo(409);

        HttpResponse<String> notJson = relay.asAdmin("POST", "/api/admin/users", "application/json", "{oops");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));

        HttpResponse<String> badState = relay.asAdmin("GET", "/api/admin/sessions?state=sleeping", null, null);
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("unknown state 'sleeping'");
    }

    @Test
    void actuatorShowsPrometheusAndTunlCountsToAdmins() {
        assertThat(relay.get("/actuator/prometheus").statusCode()).isEqualTo(401);
        HttpResponse<String> prometheus = relay.asAdmin("GET", "/actuator/prometheus", null, null);
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes");

        HttpResponse<String> tunl = relay.asAdmin("GET", "/actuator/tunl", null, null);
        assertThat(tunl.statusCode()).isEqualTo(200);
        assertThat(tunl.body()).contains("\"sshConnections\":", "\"engineerConnections\":", "\"waiting\":");

        HttpResponse<String> health = relay.asAdmin("GET", "/actuator/health", null, null);
        assertThat(health.body()).contains("\"db\":", "\"ssh\":");
    }

    @Test
    void aCrossSiteFormCannotUseCredentialsABrowserCached() {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2mZmfc3d5hHkVgBVLI4FnrQbxO6e0sHUJBmALDyjNM mallory@evil";
        HttpResponse<String> crossSite = relay.send("POST", "/api/admin/engineers/mallory/keys", "admin",
                TestRelay.ADMIN_PASSWORD, "text/plain", key, Map.of("Origin", "https://evil.example"));
        assertThat(crossSite.statusCode()).as(crossSite.body()).isEqualTo(403);
        HttpResponse<String> fetchMetadata = relay.send("POST", "/api/admin/engineers/mallory/keys", "admin",
                TestRelay.ADMIN_PASSWORD, "text/plain", key, Map.of("Sec-Fetch-Site", "cross-site"));
        assertThat(fetchMetadata.statusCode()).isEqualTo(403);
        assertThat(relay.asAdmin("GET", "/api/admin/engineers", null, null).body()).doesNotContain("mallory");
    }

    @Test
    void theApiIsDescribedInOpenApiWithABrowsableUi() {
        assertThat(relay.get("/v3/api-docs").statusCode()).isEqualTo(401);
        HttpResponse<String> description = relay.asAdmin("GET", "/v3/api-docs", null, null);
        assertThat(description.statusCode()).as(description.body()).isEqualTo(200);
        assertThat(description.body()).contains("\"openapi\":\"3.", "\"/api/audit/sessions\"", "\"/api/audit/sessions/{id}/recording\"",
                "\"/api/admin/engineers/{name}/keys\"", "\"/api/admin/sessions/{id}\"", "\"/api/audit/verify\"");
        HttpResponse<String> ui = relay.asAdmin("GET", "/swagger-ui/index.html", null, null);
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    @Test
    void auditLogRefusesUpdateAndDelete() {
        assertThat(relay.audit("http-user-created")).isNotEmpty();
        assertThatThrownBy(() -> relay.jdbc().sql("update audit_event set actor = 'mallory'").update())
                .rootCause().hasMessageContaining("audit_event is append-only: UPDATE refused");
        assertThatThrownBy(() -> relay.jdbc().sql("delete from audit_event").update())
                .rootCause().hasMessageContaining("audit_event is append-only: DELETE refused");
    }

    private static String fingerprint(Path key) {
        OpenSshClient.Result result = keys.run(java.util.List.of("ssh-keygen", "-l", "-E", "sha256", "-f",
                key.resolveSibling(key.getFileName() + ".pub").toString()), 10);
        return result.stdout().split(" ")[1];
    }

}
