package com.linbit.tunl.bench;

/**
 * One line of the report: the same work through tunl and through stock OpenSSH, and the target
 * the issue sets for it. {@code openssh} is NaN where OpenSSH has no counterpart.
 */
record Row(String measurement, String unit, double tunl, double openssh, String target, Boolean met) {

    double ratio() {
        return openssh == 0 || Double.isNaN(openssh) ? Double.NaN : tunl / openssh;
    }

    /** A row compared with OpenSSH, where the target is a bound on the ratio. */
    static Row ratio(String measurement, String unit, double tunl, double openssh, boolean higherIsBetter, double bound) {
        double ratio = tunl / openssh;
        boolean met = higherIsBetter ? ratio >= bound : ratio <= bound;
        return new Row(measurement, unit, tunl, openssh, (higherIsBetter ? "≥ " : "≤ ") + bound + "×", met);
    }

    /** A row with an absolute target and no OpenSSH counterpart. */
    static Row absolute(String measurement, String unit, double tunl, String target, boolean met) {
        return new Row(measurement, unit, tunl, Double.NaN, target, met);
    }

    /** A figure reported for context, with no target. */
    static Row figure(String measurement, String unit, double tunl, double openssh) {
        return new Row(measurement, unit, tunl, openssh, "", null);
    }
}
