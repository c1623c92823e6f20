package com.linbit.tunl.agent;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalAccountTest {

    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
            broken:x:7
            alice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh
            relative:x:1001:1001::home/relative:/bin/sh
            """;

    @Test
    void theHomeIsThePasswordDatabasesNotTheEnvironments() {
        assertThat(LocalAccount.fromPasswd(0, PASSWD)).contains(new LocalAccount(0, "root", Path.of("/root")));
        assertThat(LocalAccount.fromPasswd(1000, PASSWD)).contains(new LocalAccount(1000, "alice", Path.of("/home/alice")));
        assertThat(LocalAccount.fromPasswd(7, PASSWD)).isEmpty();
        assertThat(LocalAccount.fromPasswd(1001, PASSWD)).as("a home that is not an absolute path").isEmpty();
        assertThat(LocalAccount.fromPasswd(4242, PASSWD)).isEmpty();
    }

    @Test
    void theRunningUserIsFound() throws Exception {
        LocalAccount me = LocalAccount.current();
        assertThat(me.uid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        assertThat(me.home()).isAbsolute();
    }
}
