package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change feed: what one node commits, every node hears, in order, within 100 ms; nothing after a reconnect is lost. */
class ChangeFeedTest {
    @TempDir
    Path tmp;

    private static Database open(String url) {
        return Database.open(url, url.startsWith("jdbc:postgresql:") ? TestStores.pgUser() : null, null, 4);
    }

    @Test
    void aChangeCommittedOnOneNodeReachesTheOtherWithin100Milliseconds() throws Exception {
        String url = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
        try (Database a = open(url); Database b = open(url);
             ChangeFeed onA = new ChangeFeed(a, Clock.systemUTC()); ChangeFeed onB = new ChangeFeed(b, Clock.systemUTC())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            List<Long> latencies = new CopyOnWriteArrayList<>();
            long[] sentAt = new long[1];
            onB.subscribe("keys", c -> {
                heard.add(c.key());
                latencies.add(System.nanoTime() - sentAt[0]);
            });
            onB.subscribe("other", c -> heard.add("other:" + c.key()));
            onA.start();
            onB.start();
            for (int i = 0; i < 20; i++) {
                int n = i;
                sentAt[0] = System.nanoTime();
                a.transactions().run(() -> onA.publish("keys", "k" + n));
                awaitSize(heard, i + 1);
            }
            assertThat(heard).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "k" + i).toList());
            long worst = latencies.stream().mapToLong(Long::longValue).max().orElseThrow();
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest delivery").isLessThan(100);

            // A rolled-back change is never heard.
            try {
                a.transactions().run(() -> {
                    onA.publish("keys", "rolled-back");
                    throw new IllegalStateException("abort");
                });
            } catch (IllegalStateException expected) {
                // the transaction rolled back
            }
            a.transactions().run(() -> onA.publish("other", "x"));
            awaitSize(heard, 21);
            assertThat(heard).doesNotContain("rolled-back").endsWith("other:x");
            // Sequence numbers have no gap where the rolled-back change was: 20 changes, then "other".
            assertThat(onB.position()).isEqualTo(21);
        }
    }

    @Test
    void aNodeWhoseListeningConnectionDiesCatchesUpBySequence() throws Exception {
        String url = TestStores.freshUrl(TestStores.Kind.POSTGRES, tmp);
        try (Database a = open(url); Database b = open(url);
             ChangeFeed onA = new ChangeFeed(a, Clock.systemUTC()); ChangeFeed onB = new ChangeFeed(b, Clock.systemUTC())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            onB.subscribe("keys", c -> heard.add(c.key()));
            onB.start();
            Thread.sleep(300);
            // Cut B's LISTEN session from the server side, then publish while B reconnects.
            try (Connection admin = DriverManager.getConnection(url, TestStores.pgUser(), null)) {
                admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE query LIKE 'LISTEN gatehouse_changes%' AND pid <> pg_backend_pid()");
            }
            for (int i = 0; i < 5; i++) {
                int n = i;
                a.transactions().run(() -> onA.publish("keys", "k" + n));
            }
            awaitSize(heard, 5);
            assertThat(heard).containsExactly("k0", "k1", "k2", "k3", "k4");
        }
    }

    @Test
    void onTheEmbeddedStoreAChangeIsHeardInProcess() throws Exception {
        try (Database db = open(TestStores.freshUrl(TestStores.Kind.H2, tmp)); ChangeFeed feed = new ChangeFeed(db, Clock.systemUTC())) {
            List<String> heard = new CopyOnWriteArrayList<>();
            feed.subscribe("keys", c -> heard.add(c.topic() + "/" + c.key()));
            feed.start();
            long start = System.nanoTime();
            db.transactions().run(() -> feed.publish("keys", "k1"));
            awaitSize(heard, 1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
            assertThat(heard).containsExactly("keys/k1");
        }
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < size && System.nanoTime() < end) Thread.sleep(1);
        assertThat(list).hasSizeGreaterThanOrEqualTo(size);
    }
}
