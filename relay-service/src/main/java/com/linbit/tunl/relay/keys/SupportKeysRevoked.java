package com.linbit.tunl.relay.keys;

import java.util.Set;

/** Published when keys stop being valid, wherever they were revoked. */
public record SupportKeysRevoked(Set<Long> keyIds) {
}
