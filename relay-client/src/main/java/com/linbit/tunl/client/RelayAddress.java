package com.linbit.tunl.client;

/** A relay's SSH address as people write it: {@code HOST[:PORT]}. */
public record RelayAddress(String host, int port) {

    public static final RelayAddress PRODUCTION = new RelayAddress("tunl.linbit.com", 443);

    /**
     * @throws IllegalArgumentException with a message fit for the person who typed it
     */
    public static RelayAddress parse(String text, int defaultPort) {
        String value = text == null ? "" : text.strip();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("relay address is empty; use HOST[:PORT]");
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            return new RelayAddress(value, defaultPort);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("relay address takes HOST[:PORT], got " + value);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("relay port must be 1-65535, got " + port);
        }
        return new RelayAddress(value.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
