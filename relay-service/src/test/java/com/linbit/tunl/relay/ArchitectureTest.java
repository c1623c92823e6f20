package com.linbit.tunl.relay;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Feature boundaries: the session domain knows nothing of SSH transport or the web. */
class ArchitectureTest {

    private static final JavaClasses RELAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.linbit.tunl.relay");

    @Test
    void sessionLiveChatTunnelAndRecordingAreFreeOfMinaAndWebTypes() {
        noClasses().that().resideInAnyPackage("..relay.session..", "..relay.live..", "..relay.chat..", "..relay.tunnel..", "..relay.recording..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.sshd..", "org.springframework.web..", "jakarta.servlet..",
                        "..relay.ssh..", "..relay.api..")
                .check(RELAY);
    }

    @Test
    void onlyTheSshPackageTalksToMinaServer() {
        noClasses().that().resideOutsideOfPackage("..relay.ssh..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.sshd.server..")
                .check(RELAY);
    }

    @Test
    void featuresDoNotReachIntoTheApi() {
        noClasses().that().resideOutsideOfPackage("..relay.api..")
                .should().dependOnClassesThat().resideInAPackage("..relay.api..")
                .check(RELAY);
    }
}
