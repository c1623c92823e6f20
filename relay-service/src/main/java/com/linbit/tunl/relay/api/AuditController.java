package com.linbit.tunl.relay.api;

import com.linbit.tunl.relay.audit.AuditVerifier;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What auditors ask of the audit log itself. */
@RestController
@RequestMapping("/api/audit")
class AuditController {

    private final AuditVerifier verifier;

    AuditController(AuditVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Walks the hash chain: {@code intact} and the count verified, or the first event that was
     * changed, removed or inserted.
     */
    @GetMapping("/verify")
    AuditVerifier.Verification verify() {
        return verifier.verify();
    }
}
