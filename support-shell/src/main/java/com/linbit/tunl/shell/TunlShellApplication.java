package com.linbit.tunl.shell;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * {@code tunl}: the support engineer's console. Its relay commands arrive with the support
 * console work (issue 4); until then engineers use the relay's SSH commands with stock OpenSSH.
 */
@SpringBootApplication
public class TunlShellApplication {

    public static void main(String[] args) {
        SpringApplication.run(TunlShellApplication.class, args);
    }
}
