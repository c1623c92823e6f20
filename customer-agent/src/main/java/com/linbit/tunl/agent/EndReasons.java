package com.linbit.tunl.agent;

/** The customer's words for why the relay ended a session (the ENDED frame carries a code). */
final class EndReasons {

    private EndReasons() {
    }

    /** The line to print; null when the customer ended it themselves (nothing to explain). */
    static String describe(String reason) {
        return switch (reason) {
            case "customer" -> null;
            case "admin" -> "An administrator ended the session.";
            case "max-duration" -> "The session reached its maximum duration and ended.";
            case "expired" -> "The session expired.";
            case "recording-failed" -> "The relay could not record the session, so it ended it (support knows why).";
            case "customer-lost" -> "The session ended: this machine was out of reach of the relay for too long.";
            case "idle" -> "The session ended after a long time without activity.";
            default -> "The relay ended the session (" + reason + ").";
        };
    }
}
