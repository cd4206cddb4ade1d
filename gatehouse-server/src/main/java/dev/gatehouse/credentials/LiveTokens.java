package dev.gatehouse.credentials;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the live token check reads of the store, kept in memory between changes: signed tokens
 * already verified (by their exact text), token and task rows by {@code jti}, credential states by id.
 * Every change that could end a token — a revocation, a task ending, a credential rotated or revoked,
 * on this node (after its commit, before the command returns) or on another (change feed) — empties
 * the caches, so nothing revoked is ever served from memory. A read that raced with such a change is
 * not kept (a generation counter tells).
 */
final class LiveTokens {
    private static final int MAX_ENTRIES = 100_000;

    record Verified(Map<String, Object> claims, long expiresAtSecond) {}

    record TokenAndTask(TaskRepository.TokenRow token, Task task) {}

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final Map<String, TokenAndTask> tokens = new ConcurrentHashMap<>();
    private final Map<String, CredentialRepository.BindingState> credentials = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    /** A token whose signature and claims were verified before (the cache holds it until it expires). */
    Optional<Verified> verified(String token, Instant now) {
        Verified v = verified.get(token);
        if (v == null) return Optional.empty();
        if (v.expiresAtSecond() <= now.getEpochSecond()) {
            verified.remove(token);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    void verified(String token, Verified v) {
        bounded(verified).put(token, v);
    }

    /** The token's row and its task's, from memory or {@code load}. */
    Optional<TokenAndTask> token(String jti, Supplier<Optional<TokenAndTask>> load) {
        TokenAndTask cached = tokens.get(jti);
        if (cached != null) return Optional.of(cached);
        long before = generation.get();
        Optional<TokenAndTask> loaded = load.get();
        if (loaded.isPresent() && generation.get() == before) bounded(tokens).put(jti, loaded.get());
        return loaded;
    }

    Optional<CredentialRepository.BindingState> credential(String id, Supplier<Optional<CredentialRepository.BindingState>> load) {
        CredentialRepository.BindingState cached = credentials.get(id);
        if (cached != null) return Optional.of(cached);
        long before = generation.get();
        Optional<CredentialRepository.BindingState> loaded = load.get();
        if (loaded.isPresent() && generation.get() == before) bounded(credentials).put(id, loaded.get());
        return loaded;
    }

    /** Something that can end tokens committed (here or elsewhere): forget every row read before it. */
    void changed() {
        generation.incrementAndGet();
        tokens.clear();
        credentials.clear();
    }

    private static <V> Map<String, V> bounded(Map<String, V> map) {
        if (map.size() >= MAX_ENTRIES) map.clear(); // a burst of distinct tokens: start over rather than grow
        return map;
    }
}
