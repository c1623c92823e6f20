package com.linbit.tunl.relay.live;

import java.util.concurrent.atomic.LongAdder;

/** Bytes the relay carried for shared shells since it started, by direction; never goes down. */
public final class Traffic {

    private final LongAdder fromCustomers = new LongAdder();
    private final LongAdder toViewers = new LongAdder();
    private final LongAdder fromEngineers = new LongAdder();

    void customerOutput(int bytes, int viewers) {
        fromCustomers.add(bytes);
        toViewers.add((long) bytes * viewers);
    }

    void engineerInput(int bytes) {
        fromEngineers.add(bytes);
    }

    /** Shell output the customers' agents sent. */
    public long fromCustomers() {
        return fromCustomers.sum();
    }

    /** That output as handed to every watching engineer (one copy per viewer). */
    public long toViewers() {
        return toViewers.sum();
    }

    /** Keystrokes engineers sent to customers' shells. */
    public long fromEngineers() {
        return fromEngineers.sum();
    }
}
