package dev.gatehouse.store;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link Budgets} counted exactly in memory: right for one node (the embedded store allows no other). */
public final class LocalBudgets implements Budgets {
    private static final class Count {
        long minute;
        long used;
        boolean refused;
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();

    @Override
    public boolean tryTake(String key, long minute, long limit, long amount) {
        Count c = count(key, minute);
        synchronized (c) {
            roll(c, minute);
            if (c.used + amount > limit) {
                c.refused = true;
                return false;
            }
            c.used += amount;
            return true;
        }
    }

    @Override
    public void charge(String key, long minute, long limit, long amount) {
        Count c = count(key, minute);
        synchronized (c) {
            roll(c, minute);
            c.used += amount;
        }
    }

    @Override
    public boolean exhausted(String key, long minute) {
        Count c = counts.get(key);
        if (c == null) return false;
        synchronized (c) {
            return c.minute == minute && c.refused;
        }
    }

    private Count count(String key, long minute) {
        if (counts.size() > 100_000) counts.values().removeIf(c -> c.minute < minute);
        return counts.computeIfAbsent(key, k -> new Count());
    }

    private static void roll(Count c, long minute) {
        if (c.minute != minute) {
            c.minute = minute;
            c.used = 0;
            c.refused = false;
        }
    }
}
