package com.linbit.tunl.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP proxy that the relay is reached through with {@code CONNECT}, as corporate networks
 * require: from {@code --proxy http://[user:pass@]host:port}, else {@code https_proxy} /
 * {@code HTTPS_PROXY}, unless {@code no_proxy} / {@code NO_PROXY} names the relay.
 */
public record HttpProxy(String host, int port, String user, String password) {

    public HttpProxy {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the proxy needs a host, e.g. http://proxy.example.com:3128");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the proxy port must be 1 to 65535");
        }
    }

    /** {@code http://[user:pass@]host[:port]}; the port defaults to 3128, as common proxies use. */
    public static HttpProxy parse(String url) {
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a proxy address: '" + url + "' (expected http://[user:pass@]host:port)");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("only http:// proxies (HTTP CONNECT) are supported, not '" + uri.getScheme() + "'");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        return new HttpProxy(uri.getHost(), uri.getPort() < 0 ? 3128 : uri.getPort(), user, password);
    }

    /** The proxy the environment asks for on the way to {@code relayHost}, if any. */
    public static Optional<HttpProxy> fromEnvironment(Map<String, String> env, String relayHost) {
        String url = first(env, "https_proxy", "HTTPS_PROXY");
        if (url == null || url.isBlank() || bypassed(first(env, "no_proxy", "NO_PROXY"), relayHost)) {
            return Optional.empty();
        }
        return Optional.of(parse(url));
    }

    /** {@code no_proxy}: comma-separated host names, domain suffixes ({@code .example.com} or {@code example.com}), or {@code *}. */
    static boolean bypassed(String noProxy, String host) {
        if (noProxy == null || noProxy.isBlank()) {
            return false;
        }
        String target = host.toLowerCase(Locale.ROOT);
        for (String entry : noProxy.split(",")) {
            String pattern = entry.strip().toLowerCase(Locale.ROOT);
            int colon = pattern.lastIndexOf(':');
            if (colon > 0 && pattern.indexOf(':') == colon) {
                pattern = pattern.substring(0, colon);
            }
            if (pattern.equals("*")) {
                return true;
            }
            String suffix = pattern.startsWith(".") ? pattern : "." + pattern;
            if (!pattern.isEmpty() && (target.equals(pattern.replaceFirst("^\\.", "")) || target.endsWith(suffix))) {
                return true;
            }
        }
        return false;
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
