package com.linbit.tunl.relay.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Generates session IDs of the form {@code adjective-noun-verb-noun}, e.g. {@code swift-fox-jumps-barrel}.
 *
 * <p>A support engineer reads the ID aloud to a customer over the phone, so IDs are built from curated lists of
 * common, easy-to-spell words instead of random characters. The lists are kept free of near-duplicates and
 * homophones (enforced by {@code SessionIdWordListsTest}) so that every word survives a bad phone line.
 *
 * <p>Instances are immutable and {@link SecureRandom} is thread-safe, so one instance can be shared.
 */
public final class SessionIdGenerator {

    static final String ADJECTIVES_RESOURCE = "/session-words/adjectives.txt";
    static final String NOUNS_RESOURCE = "/session-words/nouns.txt";
    static final String VERBS_RESOURCE = "/session-words/verbs.txt";

    private static final Pattern WORD = Pattern.compile("[a-z]{3,8}");
    private static final Pattern SESSION_ID = Pattern.compile("[a-z]{3,8}(-[a-z]{3,8}){3}");

    private final List<String> adjectives;
    private final List<String> nouns;
    private final List<String> verbs;
    private final SecureRandom random;

    SessionIdGenerator(List<String> adjectives, List<String> nouns, List<String> verbs, SecureRandom random) {
        this.adjectives = checkedCopy("adjectives", adjectives);
        this.nouns = checkedCopy("nouns", nouns);
        this.verbs = checkedCopy("verbs", verbs);
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Loads the word lists shipped in {@code session-words/} on the classpath. */
    public static SessionIdGenerator fromClasspath() {
        return new SessionIdGenerator(
                loadWords(ADJECTIVES_RESOURCE),
                loadWords(NOUNS_RESOURCE),
                loadWords(VERBS_RESOURCE),
                new SecureRandom());
    }

    /** Returns a new random ID; every word is drawn independently and uniformly from its list. */
    public String next() {
        return String.join("-", pick(adjectives), pick(nouns), pick(verbs), pick(nouns));
    }

    /** Bits of entropy of one ID, i.e. log2 of the number of distinct IDs this generator can produce. */
    public double entropyBits() {
        return log2(adjectives.size()) + log2(nouns.size()) + log2(verbs.size()) + log2(nouns.size());
    }

    /**
     * Whether {@code id} has the shape of a session ID. This is deliberately only a shape check (no list
     * membership) so that callers can tell session IDs from engineer names even if the word lists change.
     */
    public static boolean isWellFormed(String id) {
        return id != null && SESSION_ID.matcher(id).matches();
    }

    public List<String> adjectives() {
        return adjectives;
    }

    public List<String> nouns() {
        return nouns;
    }

    public List<String> verbs() {
        return verbs;
    }

    private String pick(List<String> words) {
        // nextInt(bound) rejects out-of-range samples internally, so there is no modulo bias.
        return words.get(random.nextInt(words.size()));
    }

    private static double log2(int n) {
        return Math.log(n) / Math.log(2);
    }

    private static List<String> checkedCopy(String name, List<String> words) {
        List<String> copy = List.copyOf(Objects.requireNonNull(words, name));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        Set<String> seen = new HashSet<>();
        for (String word : copy) {
            if (!WORD.matcher(word).matches()) {
                throw new IllegalArgumentException(name + " contains malformed word '" + word + "'");
            }
            // A duplicate would silently make that word more likely than the others.
            if (!seen.add(word)) {
                throw new IllegalArgumentException(name + " contains duplicate word '" + word + "'");
            }
        }
        return copy;
    }

    private static List<String> loadWords(String resource) {
        InputStream in = SessionIdGenerator.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("Word list " + resource + " not found on the classpath");
        }
        List<String> words = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                // Fail at startup rather than hand out an ID that does not pass isWellFormed().
                if (!WORD.matcher(line).matches()) {
                    throw new IllegalStateException(
                            "Word list " + resource + " contains invalid word '" + line + "'");
                }
                words.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read word list " + resource, e);
        }
        return words;
    }
}
