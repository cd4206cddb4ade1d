package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The appending thread assembles each record from an event serialised in advance: the stored text and the
 * hash must be exactly what serialising and canonicalising the whole record gives (the verifier's rule).
 */
class HashChainTest {
    private static final String[] ALPHABET = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "é", "€", "\u2028",
            "😀", "\uD800", "<", "&", "'"};

    @Test
    void preparedEventsGiveTheSameTextAndHashAsTheWholeRecord() {
        Random random = new Random(20261202);
        for (int i = 0; i < 2_000; i++) {
            AuditEvent event = randomEvent(random);
            long seq = 1 + random.nextInt(Integer.MAX_VALUE) * (long) (1 + random.nextInt(1000));
            Instant time = Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(Integer.MAX_VALUE));
            String prev = i % 7 == 0 ? HashChain.GENESIS : String.format("%016x", random.nextLong()).repeat(4);

            HashChain.Prepared prepared = HashChain.prepare(event);
            var whole = HashChain.body(seq, time, prev, event);
            assertThat(HashChain.text(seq, time, prev, prepared)).as("event %d", i).isEqualTo(Json.write(whole));
            assertThat(HashChain.hash(seq, time, prev, prepared)).as("event %d", i).isEqualTo(HashChain.hash(whole));
        }
    }

    private static AuditEvent randomEvent(Random random) {
        AuditEvent e = AuditEvent.of(text(random, 1 + random.nextInt(20)), AuditEvent.Category.values()[random.nextInt(AuditEvent.Category.values().length)],
                random.nextBoolean() ? "allow" : null, random.nextBoolean() ? "identity:" + text(random, 8) : "system");
        if (random.nextBoolean()) e = e.withSubject(text(random, 10), "agent", random.nextBoolean() ? text(random, 5) : null);
        if (random.nextBoolean()) e = e.withTask("task-" + random.nextInt(1000), random.nextBoolean() ? "jti-" + random.nextLong() : null);
        if (random.nextBoolean()) e = e.withAction(text(random, 6), text(random, 12));
        if (random.nextBoolean()) e = e.withPolicy(List.of(text(random, 4), text(random, 4)), "v" + random.nextInt(9));
        if (random.nextBoolean()) e = e.withReason(text(random, 15));
        if (random.nextBoolean()) e = e.withDelegation(text(random, 6), List.of(text(random, 3), text(random, 3)));
        if (random.nextBoolean()) e = e.withDetail(detail(random, 0));
        return e;
    }

    private static Map<String, Object> detail(Random random, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            String key = text(random, 1 + random.nextInt(6));
            switch (random.nextInt(7)) {
                case 0 -> out.put(key, random.nextLong());
                case 1 -> out.put(key, random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
                case 2 -> out.put(key, random.nextBoolean());
                case 3 -> out.put(key, depth < 3 ? detail(random, depth + 1) : "leaf");
                case 4 -> {
                    List<Object> list = new ArrayList<>();
                    for (int j = random.nextInt(4); j > 0; j--) list.add(random.nextBoolean() ? text(random, 3) : random.nextInt());
                    out.put(key, list);
                }
                case 5 -> out.put(key, random.nextInt(100));
                default -> out.put(key, text(random, random.nextInt(30)));
            }
        }
        return out;
    }

    private static String text(Random random, int length) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) s.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        return s.toString();
    }
}
