package com.linbit.tunl.agent;

import java.util.LinkedHashSet;
import java.util.Iterator;
import java.util.Set;

import com.linbit.tunl.protocol.Frame;

/**
 * The relay sends the recent chat again on every (re)connect, so nothing said during an outage is
 * missed; lines already shown are shown once.
 */
final class ChatReplay {

    private static final int REMEMBERED = 500;

    private final Set<String> shown = new LinkedHashSet<>();

    synchronized boolean firstTime(Frame.Chat line) {
        String key = line.sentAtEpochMillis() + "\u0000" + line.author() + "\u0000" + line.text();
        if (!shown.add(key)) {
            return false;
        }
        if (shown.size() > REMEMBERED) {
            Iterator<String> oldest = shown.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }
}
