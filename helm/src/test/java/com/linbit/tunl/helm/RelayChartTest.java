package com.linbit.tunl.helm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chart as the real Helm engine (helm-java) lints and renders it: with the default values and
 * three other value sets, every manifest fits its Kubernetes API type ({@link KubernetesSchema}) and
 * is checked where it matters (ports, probes, secrets and their mounts, security context, volume),
 * and settings the relay cannot run with are refused.
 */
class RelayChartTest {

    private static final Path CHART = Path.of("tunl-relay");
    private static final Path VALUES = Path.of("src/test/resources/values");

    @Test
    void theChartLintsClean() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void theDefaultImageIsTheOneTheImageModuleBuilds() {
        Map<String, Object> pod = mapAt(render(template()).one("Deployment"), "spec", "template", "spec");
        assertThat(at(container(pod), "image")).isEqualTo(System.getProperty("tunl.image"));
        assertThat(at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
    }

    @Test
    void defaultsRenderASecureSingleReplicaWithItsOwnVolume() {
        Manifests manifests = render(template());
        Map<String, Object> deployment = manifests.one("Deployment");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
        assertThat(at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
        Map<String, Object> pod = mapAt(deployment, "spec", "template", "spec");
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);
        Map<String, Object> relay = container(pod);
        assertThat(at(relay, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(relay, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(listAt(relay, "securityContext", "capabilities", "drop")).containsExactly("ALL");
        assertThat(ports(relay)).containsEntry("ssh", 2222).containsEntry("http", 8080);
        assertThat(at(relay, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat(at(relay, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(env(relay)).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgresql:5432/tunl")
                .containsEntry("TUNL_SSH_PUBLICPORT", "443").doesNotContainKey("TUNL_SSH_CAKEY")
                .doesNotContainKey("LOGGING_STRUCTURED_FORMAT_CONSOLE");
        assertThat(mountPaths(relay)).containsExactlyInAnyOrder("/data", "/tmp");

        Map<String, Object> ssh = manifests.named("Service", "tunl-relay-ssh");
        assertThat(at(ssh, "spec", "type")).isEqualTo("LoadBalancer");
        assertThat(at(ssh, "spec", "ports", 0, "port")).isEqualTo(443);
        assertThat(at(ssh, "spec", "ports", 0, "targetPort")).isEqualTo("ssh");
        assertThat(at(manifests.named("Service", "tunl-relay-http"), "spec", "type")).isEqualTo("ClusterIP");
        assertThat(at(manifests.one("PersistentVolumeClaim"), "spec", "resources", "requests", "storage")).isEqualTo("20Gi");
        assertThat(manifests.kinds()).doesNotContain("Secret", "Ingress", "ServiceMonitor", "NetworkPolicy");
    }

    @Test
    void productionValuesUseExistingSecretsAndClaimIngressMonitoringAndPolicy() {
        Manifests manifests = render(template().withValuesFile(VALUES.resolve("production.yaml")));
        Map<String, Object> pod = mapAt(manifests.one("Deployment"), "spec", "template", "spec");
        Map<String, Object> relay = container(pod);
        assertThat(env(relay)).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.internal:5433/tunl_prod")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "relay")
                .containsEntry("TUNL_SSH_CAKEY", "/identity/relay_ca_ed25519_key")
                .containsEntry("TUNL_SSH_HOSTCERTIFICATE", "/data/ssh_host_ed25519_key-cert.pub")
                .containsEntry("TUNL_PUBLICHOST", "tunl.linbit.com")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");
        assertThat(secretRef(relay, "SPRING_DATASOURCE_PASSWORD")).isEqualTo("tunl-db/password");
        assertThat(secretRef(relay, "TUNL_ADMIN_PASSWORD")).isEqualTo("tunl-admin/password");
        assertThat(mountPaths(relay)).contains("/identity");
        assertThat(volume(pod, "identity")).containsEntry("secret", Map.of("secretName", "tunl-identity", "defaultMode", 288));
        assertThat(volume(pod, "data")).containsEntry("persistentVolumeClaim", Map.of("claimName", "tunl-recordings"));
        assertThat(manifests.kinds()).doesNotContain("PersistentVolumeClaim", "Secret")
                .contains("Ingress", "ServiceMonitor", "NetworkPolicy");
        assertThat(at(manifests.one("Ingress"), "spec", "rules", 0, "host")).isEqualTo("tunl.linbit.com");
        assertThat(at(manifests.one("ServiceMonitor"), "spec", "endpoints", 0, "path")).isEqualTo("/actuator/prometheus");
        assertThat(at(manifests.one("NetworkPolicy"), "spec", "egress", 1, "to", 0, "ipBlock", "cidr")).isEqualTo("10.0.5.0/24");
    }

    @Test
    void inlineKeysBecomeASecretAndNoVolumeMeansAnEmptyDir() {
        Manifests manifests = render(template().withValuesFile(VALUES.resolve("inline-keys.yaml")));
        Map<String, Object> secret = manifests.one("Secret");
        assertThat(mapAt(secret, "data")).containsOnlyKeys("relay_ca_ed25519_key", "ssh_host_ed25519_key");
        Map<String, Object> pod = mapAt(manifests.one("Deployment"), "spec", "template", "spec");
        assertThat(volume(pod, "identity")).containsEntry("secret", Map.of("secretName", "tunl-relay-identity", "defaultMode", 288));
        assertThat(volume(pod, "data")).containsEntry("emptyDir", Map.of());
        assertThat(mapAt(manifests.one("Deployment"), "spec", "template", "metadata", "annotations"))
                .containsKey("checksum/identity");
        assertThat(at(manifests.named("Service", "tunl-relay-ssh"), "spec", "type")).isEqualTo("NodePort");
        assertThat(manifests.kinds()).doesNotContain("PersistentVolumeClaim");
    }

    @Test
    void severalReplicasShareAReadWriteManyVolume() {
        Manifests manifests = render(template().withValuesFile(VALUES.resolve("scaled.yaml")));
        assertThat(at(manifests.one("Deployment"), "spec", "replicas")).isEqualTo(3);
        Map<String, Object> claim = manifests.one("PersistentVolumeClaim");
        assertThat(listAt(claim, "spec", "accessModes")).containsExactly("ReadWriteMany");
        assertThat(at(claim, "spec", "storageClassName")).isEqualTo("cephfs");
    }

    @Test
    void settingsTheRelayCannotRunWithAreRefusedAtInstallTime() {
        assertThatThrownBy(() -> template().set("replicaCount", 2).call())
                .hasMessageContaining("replicaCount > 1 needs a ReadWriteMany recordings volume");
        assertThatThrownBy(() -> template().set("identity.caKey", "only-one").call())
                .hasMessageContaining("give both caKey and hostKey");
        assertThatThrownBy(() -> template().set("postgresql.host", "").call())
                .hasMessageContaining("postgresql.host: the chart runs the relay against an external PostgreSQL");
        assertThatThrownBy(() -> template().set("ssh.service.type", "Balanced").call())
                .hasMessageContaining("values don't meet the specifications of the schema");
        assertThatThrownBy(() -> template().set("serviceMonitor.enabled", true).call())
                .hasMessageContaining("serviceMonitor.basicAuthSecret");
    }

    private static TemplateCommand template() {
        return new Helm(CHART).template().withName("tunl-relay");
    }

    private static Manifests render(TemplateCommand command) {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(command.call())) {
            if (document != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> manifest = (Map<String, Object>) document;
                KubernetesSchema.check(manifest);
                documents.add(manifest);
            }
        }
        return new Manifests(documents);
    }

    private record Manifests(List<Map<String, Object>> documents) {
        List<Object> kinds() {
            return documents.stream().map(document -> document.get("kind")).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> found = documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
            assertThat(found).as("exactly one " + kind).hasSize(1);
            return found.get(0);
        }

        Map<String, Object> named(String kind, String name) {
            return documents.stream().filter(document -> kind.equals(document.get("kind"))
                            && name.equals(at(document, "metadata", "name")))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + kinds()));
        }
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer index ? ((List<Object>) current).get(index) : ((Map<String, Object>) current).get(step);
            Objects.requireNonNull(current, () -> "nothing at " + java.util.Arrays.toString(path));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapAt(Object node, Object... path) {
        return (Map<String, Object>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> listAt(Object node, Object... path) {
        return (List<Object>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> mapsAt(Object node, Object... path) {
        return (List<Map<String, Object>>) at(node, path);
    }

    private static Map<String, Object> container(Map<String, Object> pod) {
        return mapAt(pod, "containers", 0);
    }

    private static Map<String, Object> ports(Map<String, Object> container) {
        Map<String, Object> ports = new java.util.HashMap<>();
        for (Map<String, Object> port : List.copyOf(mapsAt(container, "ports"))) {
            ports.put((String) port.get("name"), port.get("containerPort"));
        }
        return ports;
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new java.util.HashMap<>();
        for (Map<String, Object> variable : List.copyOf(mapsAt(container, "env"))) {
            if (variable.containsKey("value")) {
                env.put((String) variable.get("name"), variable.get("value"));
            }
        }
        return env;
    }

    private static String secretRef(Map<String, Object> container, String name) {
        for (Map<String, Object> variable : List.copyOf(mapsAt(container, "env"))) {
            if (name.equals(variable.get("name"))) {
                return at(variable, "valueFrom", "secretKeyRef", "name") + "/" + at(variable, "valueFrom", "secretKeyRef", "key");
            }
        }
        throw new AssertionError("no " + name);
    }

    private static List<Object> mountPaths(Map<String, Object> container) {
        return List.copyOf(mapsAt(container, "volumeMounts")).stream().map(mount -> mount.get("mountPath")).toList();
    }

    private static Map<String, Object> volume(Map<String, Object> pod, String name) {
        return List.copyOf(mapsAt(pod, "volumes")).stream().filter(volume -> name.equals(volume.get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
