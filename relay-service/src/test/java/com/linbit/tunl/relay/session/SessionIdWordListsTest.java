package com.linbit.tunl.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guards the session ID word lists: the IDs are read aloud over the phone, so every word must be unambiguous. */
class SessionIdWordListsTest {

    @ParameterizedTest
    @ValueSource(strings = {SessionIdGenerator.ADJECTIVES_RESOURCE, SessionIdGenerator.NOUNS_RESOURCE,
            SessionIdGenerator.VERBS_RESOURCE})
    void wordListObeysAllRules(String resource) throws IOException {
        List<String> words = lines(resource);

        assertThat(words).as("%s: not empty", resource).isNotEmpty();
        assertThat(words.stream().filter(w -> !w.matches("[a-z]{3,8}")).toList())
                .as("%s: lines that are not one word of 3-8 letters a-z", resource).isEmpty();
        assertThat(words).as("%s: sorted", resource).isSorted();
        assertThat(words).as("%s: no duplicates", resource).doesNotHaveDuplicates();
        assertThat(pairsWithinOneEdit(words)).as("%s: pairs at edit distance <= 1", resource).isEmpty();

        Set<String> wordSet = new HashSet<>(words);
        List<List<String>> homophoneClashes = new ArrayList<>();
        for (List<String> group : homophoneGroups()) {
            List<String> present = group.stream().filter(wordSet::contains).toList();
            if (present.size() > 1) {
                homophoneClashes.add(present);
            }
        }
        assertThat(homophoneClashes).as("%s: homophones in one list", resource).isEmpty();

        Set<String> blocked = new TreeSet<>(lines("/session-words/blocklist.txt"));
        blocked.retainAll(wordSet);
        assertThat(blocked).as("%s: blocklisted words", resource).isEmpty();
    }

    @Test
    void testDataIsSubstantial() throws IOException {
        assertThat(homophoneGroups()).hasSizeGreaterThanOrEqualTo(150).allMatch(g -> g.size() >= 2);
        assertThat(lines("/session-words/blocklist.txt")).hasSizeGreaterThanOrEqualTo(100);
    }

    @Test
    void generatorUsesTheCheckedResources() throws IOException {
        // Built per test, not once per class, so a broken resource fails here instead of hiding the rule reports.
        SessionIdGenerator generator = SessionIdGenerator.fromClasspath();
        assertThat(generator.adjectives()).isEqualTo(lines(SessionIdGenerator.ADJECTIVES_RESOURCE));
        assertThat(generator.nouns()).isEqualTo(lines(SessionIdGenerator.NOUNS_RESOURCE));
        assertThat(generator.verbs()).isEqualTo(lines(SessionIdGenerator.VERBS_RESOURCE));
    }

    @Test
    void entropyIsAtLeastFortyBits() {
        assertThat(SessionIdGenerator.fromClasspath().entropyBits()).isGreaterThanOrEqualTo(40.0);
    }

    @Test
    void nextPicksEachPositionFromItsList() {
        SessionIdGenerator generator = SessionIdGenerator.fromClasspath();
        Set<String> adjectives = new HashSet<>(generator.adjectives());
        Set<String> nouns = new HashSet<>(generator.nouns());
        Set<String> verbs = new HashSet<>(generator.verbs());
        for (int i = 0; i < 2_000; i++) {
            String id = generator.next();
            assertThat(SessionIdGenerator.isWellFormed(id)).as(id).isTrue();
            String[] parts = id.split("-");
            assertThat(parts).as(id).hasSize(4);
            assertThat(adjectives).as(id).contains(parts[0]);
            assertThat(nouns).as(id).contains(parts[1]);
            assertThat(verbs).as(id).contains(parts[2]);
            assertThat(nouns).as(id).contains(parts[3]);
        }
    }

    @Test
    void isWellFormedChecksTheShape() {
        assertThat(List.of("swift-fox-jumps-barrel", "abc-abcdefgh-abc-abc"))
                .allMatch(SessionIdGenerator::isWellFormed);
        assertThat(Arrays.asList(null, "", "alice", "Swift-fox-jumps-barrel", "a-b-c-d", "swift-fox-jumps",
                "swift-fox-jumps-barrel-x", "swift-fox-jumps-barrelsss", "swift--fox-jumps", "swift_fox_jumps_barrel",
                "swift-fox-jumps-barrel ", " swift-fox-jumps-barrel", "swift-fox-jumps-barrel\n",
                "swift-fox-jümps-barrel", "swift-fox-jump5-barrel"))
                .noneMatch(SessionIdGenerator::isWellFormed);
    }

    @Test
    void everyCombinationIsEquallyLikely() throws NoSuchAlgorithmException {
        SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
        seeded.setSeed(20240611L); // seeding before first use makes SHA1PRNG deterministic
        SessionIdGenerator generator = new SessionIdGenerator(
                List.of("red", "blue"), List.of("fox", "owl"), List.of("jumps", "hides"), seeded);
        assertThat(generator.entropyBits()).isEqualTo(4.0);

        int draws = 20_000;
        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> perPosition = new TreeMap<>();
        for (int i = 0; i < draws; i++) {
            String id = generator.next();
            counts.merge(id, 1, Integer::sum);
            String[] parts = id.split("-");
            for (int p = 0; p < parts.length; p++) {
                perPosition.merge(p + ":" + parts[p], 1, Integer::sum);
            }
        }

        // Standard deviations are about 34 per ID (1250 expected) and 71 per word and position (10000
        // expected), so these bounds are 7 sigma wide: they only fail if the generator is biased.
        assertThat(counts).as("counts per ID").hasSize(16);
        assertThat(counts.values()).as("counts per ID: %s", counts).allMatch(c -> c >= 1_000 && c <= 1_500);
        assertThat(perPosition).as("counts per position:word").hasSize(8);
        assertThat(perPosition.values()).as("counts per position:word: %s", perPosition)
                .allMatch(c -> c >= 9_500 && c <= 10_500);
    }

    @Test
    void constructorRejectsListsThatCouldProduceBadIds() {
        SecureRandom random = new SecureRandom();
        List<String> ok = List.of("fox", "owl");
        assertThatThrownBy(() -> new SessionIdGenerator(List.of(), ok, ok, random))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionIdGenerator(List.of("Red"), ok, ok, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Red");
        assertThatThrownBy(() -> new SessionIdGenerator(ok, List.of("fox", "fox"), ok, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fox");
    }

    /** Pairs of words at Levenshtein distance <= 1; only words whose lengths differ by at most one can be. */
    static List<String> pairsWithinOneEdit(List<String> words) {
        Map<Integer, List<String>> byLength = new HashMap<>();
        for (String w : new TreeSet<>(words)) {
            byLength.computeIfAbsent(w.length(), k -> new ArrayList<>()).add(w);
        }
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> entry : byLength.entrySet()) {
            List<String> same = entry.getValue();
            List<String> longer = byLength.getOrDefault(entry.getKey() + 1, List.of());
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    if (withinOneEdit(same.get(i), same.get(j))) {
                        pairs.add(same.get(i) + "/" + same.get(j));
                    }
                }
                for (String other : longer) {
                    if (withinOneEdit(same.get(i), other)) {
                        pairs.add(same.get(i) + "/" + other);
                    }
                }
            }
        }
        return pairs;
    }

    /** Whether {@code a} and {@code b} differ by at most one substitution, insertion or deletion. */
    static boolean withinOneEdit(String a, String b) {
        if (a.length() > b.length()) {
            return withinOneEdit(b, a);
        }
        if (b.length() - a.length() > 1) {
            return false;
        }
        int prefix = 0;
        while (prefix < a.length() && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        int skip = a.length() == b.length() ? 1 : 0; // substitution skips a char in both, insertion only in b
        return prefix >= a.length() - skip || a.substring(prefix + skip).equals(b.substring(prefix + 1));
    }

    private static List<List<String>> homophoneGroups() throws IOException {
        return lines("/session-words/homophones.txt").stream()
                .filter(line -> !line.isBlank())
                .map(line -> List.of(line.trim().split("\\s+")))
                .toList();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = SessionIdWordListsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as("resource %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
