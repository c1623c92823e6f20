package com.linbit.tunl.helm;

import java.util.Map;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check RelayChartTest runs on every rendered manifest finds what the API server would refuse. */
class KubernetesSchemaTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: relay}
            spec:
              replicas: 1
              selector: {matchLabels: {app: relay}}
              template:
                metadata: {labels: {app: relay}}
                spec:
                  containers:
                    - image: tunl-relay:1
                      name: relay
                      imagePullPolicy: IfNotPresent
            """;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: relay-ssh}
            spec:
              ports: [{name: ssh, port: 443, targetPort: ssh}]
            """;

    private static final String SERVICE_MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata: {name: relay, labels: {app: relay}}
            spec: {endpoints: [{port: http}]}
            """;

    @Test
    void wellFormedManifestsPass() {
        assertThatCode(() -> {
            check(DEPLOYMENT);
            check(SERVICE);
            check(SERVICE_MONITOR);
        }).doesNotThrowAnyException();
    }

    @Test
    void aMisspelledFieldIsRejected() {
        refused(DEPLOYMENT, "imagePullPolicy", "imagePullPolicyy")
                .hasMessageStartingWith("apps/v1 Deployment relay does not fit V1Deployment: ")
                .hasMessageContaining("field `imagePullPolicyy`").hasMessageContaining("`V1Container`");
        refused(SERVICE_MONITOR, "labels:", "labelz:").hasMessageContaining("field `labelz`");
    }

    @Test
    void aMissingRequiredFieldIsRejected() {
        refused(DEPLOYMENT, "name: relay\n", "command: [relay]\n").hasMessageContaining("required field `name`");
    }

    @Test
    void aValueOfTheWrongJsonTypeIsRejected() {
        refused(SERVICE, "port: 443", "port: https")
                .hasMessageContaining("v1 Service relay-ssh does not fit V1Service: the field at $.port takes an int32, not \"https\"");
        // What the models' own Gson would quietly convert.
        refused(SERVICE, "port: 443", "port: '443'").hasMessageContaining("$.port takes an int32, not \"443\"");
        refused(DEPLOYMENT, "image: tunl-relay:1", "image: 1").hasMessageContaining("$.image takes a string, not 1");
        refused(DEPLOYMENT, "replicas: 1", "replicas: 1.5").hasMessageContaining("$.replicas takes an int32, not 1.5");
        refused(DEPLOYMENT, "labels: {app: relay}", "labels: {app: {name: relay}}")
                .hasMessageContaining("a value in $.labels takes a string, not {\"name\":\"relay\"}");
    }

    @Test
    void aKindWithoutAModelFailsInsteadOfPassingUnchecked() {
        refused(DEPLOYMENT, "kind: Deployment", "kind: DaemonSet").hasMessageStartingWith("no API model for apps/v1 DaemonSet");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(String manifest, String from, String to) {
        assertThat(manifest).contains(from);
        return assertThatThrownBy(() -> check(manifest.replace(from, to)));
    }

    private static void check(String manifest) {
        Map<String, Object> document = new Yaml().load(manifest);
        KubernetesSchema.check(document);
    }
}
