package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.Sql;
import dev.gatehouse.testing.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chain on both real stores: concurrent appends from both paths, atomicity with the caller's transaction. */
class JdbcAuditLogTest {
    @TempDir Path dir;

    private Database open(TestStores.Kind kind) {
        return Database.open(TestStores.freshUrl(kind, dir), kind == TestStores.Kind.POSTGRES ? TestStores.pgUser() : null, null, 8);
    }

    private JdbcAuditTrail trail(Database db, Clock clock) {
        Checkpoints cps = new Checkpoints(db.transactions(), LocalKeyCheckpointSigner.loadOrCreate(dir.resolve("k.jwk")), clock,
                1_000_000, Duration.ofHours(1));
        return new JdbcAuditTrail(db.transactions(), cps);
    }

    private static List<String> export(AuditTrail trail) throws Exception {
        List<String> lines = new ArrayList<>();
        trail.export(0, lines::add);
        return lines;
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void concurrentAppendsFromBothPathsFormOneIntactChain(TestStores.Kind kind) throws Exception {
        try (Database db = open(kind); JdbcAuditLog log = new JdbcAuditLog(db.transactions(), Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) {
                        AuditEvent e = AuditEvent.of("test.event", AuditEvent.Category.ACCESS, "success", "system")
                                .withDetail(Map.of("thread", thread, "i", i));
                        if (i % 3 == 0) {
                            db.transactions().run(() -> log.record(e)); // joins a caller's transaction
                        } else {
                            log.record(e); // group-committed by the writer
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();

            List<String> lines = export(trail(db, Clock.systemUTC()));
            assertThat(lines).hasSize(480);
            ChainVerifier.Result result = ChainVerifier.verify(lines, List.of(), null, false);
            assertThat(result).isInstanceOf(ChainVerifier.Intact.class);
            assertThat(((ChainVerifier.Intact) result).lastSeq()).isEqualTo(480);
            // every (thread, i) pair exactly once
            assertThat(lines.stream().map(l -> Json.read(l, Map.class).get("detail").toString()).distinct()).hasSize(480);
        }
    }

    /** Two pools on one PostgreSQL schema stand in for two Gatehouse nodes of a cluster. */
    @org.junit.jupiter.api.Test
    void twoNodesAppendingToOnePostgresChainKeepItLinear() throws Exception {
        String url = TestStores.freshUrl(TestStores.Kind.POSTGRES, dir);
        try (Database a = Database.open(url, TestStores.pgUser(), null, 4); Database b = Database.open(url, TestStores.pgUser(), null, 4);
             JdbcAuditLog logA = new JdbcAuditLog(a.transactions(), Clock.systemUTC());
             JdbcAuditLog logB = new JdbcAuditLog(b.transactions(), Clock.systemUTC())) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                JdbcAuditLog log = t % 2 == 0 ? logA : logB;
                Database db = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        AuditEvent e = AuditEvent.of("node.event", AuditEvent.Category.ACCESS, "success", "node-" + (thread % 2))
                                .withDetail(Map.of("thread", thread, "i", i));
                        if (i % 2 == 0) log.record(e); else db.transactions().run(() -> log.record(e));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            List<String> lines = export(trail(a, Clock.systemUTC()));
            assertThat(lines).hasSize(300);
            assertThat(ChainVerifier.verify(lines, List.of(), null, false)).isInstanceOf(ChainVerifier.Intact.class);
        }
    }

    /**
     * The query index is derived from the chain after the fact (by each node's indexer, and by each query for
     * itself): a record is found by a query on either node as soon as its append returned, and ends up in the
     * index exactly once however the indexers race.
     */
    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void aRecordIsFoundOnEitherNodeOnceItsAppendReturnedAndIndexedOnce(TestStores.Kind kind) throws Exception {
        String url = TestStores.freshUrl(kind, dir);
        String user = kind == TestStores.Kind.POSTGRES ? TestStores.pgUser() : null;
        try (Database a = Database.open(url, user, null, 4); Database b = Database.open(url, user, null, 4);
             JdbcAuditLog logA = new JdbcAuditLog(a.transactions(), Clock.systemUTC());
             JdbcAuditLog logB = new JdbcAuditLog(b.transactions(), Clock.systemUTC())) {
            List<JdbcAuditTrail> trails = List.of(trail(a, Clock.systemUTC()), trail(b, Clock.systemUTC()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                JdbcAuditLog log = t % 2 == 0 ? logA : logB;
                Database db = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        String task = "task-" + thread + "-" + i;
                        AuditEvent e = AuditEvent.of("race.event", AuditEvent.Category.ACCESS, "success", "system").withTask(task, null);
                        if (i % 2 == 0) log.record(e); else db.transactions().run(() -> log.record(e));
                        // Asked on the other node at once: no waiting for its indexer.
                        var found = trails.get((thread + 1) % 2).events(
                                new AuditQuery(null, null, task, null, null, null, null, null, null, null, null, 10, false));
                        assertThat(found.items()).as(task).hasSize(1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
            pool.shutdown();
            a.transactions().run(() -> {
                var c = a.transactions().connection();
                assertThat(Sql.one(c, "SELECT COUNT(*) AS n FROM audit_events", r -> r.longValue("n")).orElseThrow()).isEqualTo(160L);
                assertThat(Sql.one(c, "SELECT COUNT(*) AS n FROM audit_index", r -> r.longValue("n")).orElseThrow()).isEqualTo(160L);
                assertThat(Sql.one(c, "SELECT COUNT(DISTINCT seq) AS n FROM audit_index", r -> r.longValue("n")).orElseThrow()).isEqualTo(160L);
                assertThat(Sql.one(c, "SELECT seq FROM audit_index_head WHERE id = 1", r -> r.longValue("seq")).orElseThrow()).isEqualTo(160L);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void eventOfARolledBackTransactionIsNotInTheChain(TestStores.Kind kind) throws Exception {
        try (Database db = open(kind); JdbcAuditLog log = new JdbcAuditLog(db.transactions(), Clock.systemUTC())) {
            log.record(AuditEvent.of("kept.one", AuditEvent.Category.ACCESS, "success", "system"));
            assertThatThrownBy(() -> db.transactions().run(() -> {
                log.record(AuditEvent.of("rolled.back", AuditEvent.Category.PRIVILEGED, "success", "system"));
                throw new IllegalStateException("the change fails after recording");
            })).isInstanceOf(IllegalStateException.class);
            log.record(AuditEvent.of("kept.two", AuditEvent.Category.ACCESS, "success", "system"));

            List<String> lines = export(trail(db, Clock.systemUTC()));
            assertThat(lines).hasSize(2).noneMatch(l -> l.contains("rolled.back"));
            assertThat(ChainVerifier.verify(lines, List.of(), null, false)).isInstanceOf(ChainVerifier.Intact.class);
            long head = db.transactions().inTransaction(() -> Sql.one(db.transactions().connection(),
                    "SELECT seq FROM audit_head WHERE id = 1", r -> r.longValue("seq")).orElseThrow());
            assertThat(head).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStores.Kind.class)
    void hashIsSha256OfTheRfc8785CanonicalRecord(TestStores.Kind kind) throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T10:00:00.123Z"), ZoneOffset.UTC);
        try (Database db = open(kind); JdbcAuditLog log = new JdbcAuditLog(db.transactions(), clock)) {
            log.record(AuditEvent.of("identity.suspend", AuditEvent.Category.PRIVILEGED, "success", "admin-token:a1")
                    .withSubject("bot-1", "agent", "alice").withReason("leak suspected")
                    .withDetail(Map.of("z", 1, "a", "é")));
            ObjectNode record = (ObjectNode) Json.MAPPER.readTree(export(trail(db, clock)).get(0));
            // Written out by hand in RFC 8785 order: members sorted by code point, no whitespace, UTF-8.
            String canonical = "{\"actor\":\"admin-token:a1\",\"category\":\"privileged\",\"chain\":[],"
                    + "\"detail\":{\"a\":\"é\",\"z\":1},\"outcome\":\"success\",\"owner\":\"alice\",\"policies\":[],"
                    + "\"prev\":\"" + "0".repeat(64) + "\",\"reason\":\"leak suspected\",\"seq\":1,\"subject\":\"bot-1\","
                    + "\"subjectKind\":\"agent\",\"time\":\"2026-03-01T10:00:00.123Z\",\"type\":\"identity.suspend\"}";
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
            assertThat(record.get("hash").asText()).isEqualTo(expected);
        }
    }
}
