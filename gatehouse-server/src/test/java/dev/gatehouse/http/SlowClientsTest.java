package dev.gatehouse.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.testing.TestGatehouse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Slow and greedy clients (Slowloris) cannot take the server from everyone else, and malformed input is a
 * client error: a specific 4xx, never a 500 with a stack trace in the log.
 */
class SlowClientsTest {
    @TempDir
    Path tmp;

    @Test
    void twoHundredSlowTokenRequestsDoNotStarveAnotherClient() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            List<Socket> attackers = new ArrayList<>();
            ExecutorService trickle = Executors.newSingleThreadExecutor();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", gh.gatehouse().port()), 2000);
                    s.getOutputStream().write(("POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                            + "Content-Length: 100000\r\n\r\ng").getBytes(StandardCharsets.US_ASCII));
                    attackers.add(s);
                }
                // One more byte per connection every 500 ms: each request stays "in progress".
                trickle.submit(() -> {
                    for (int round = 0; round < 40 && !Thread.currentThread().isInterrupted(); round++) {
                        for (Socket s : attackers) {
                            try {
                                s.getOutputStream().write('r');
                            } catch (Exception closedByServer) {
                                // the server cut it off: exactly what it should do
                            }
                        }
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                Thread.sleep(1500);
                // Another client (another address on the loopback network) is served at once, repeatedly.
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    assertThat(rawGet(gh, InetAddress.getByName("127.0.0.2"), "/healthz")).startsWith("HTTP/1.1 200");
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
                    Thread.sleep(500);
                }
            } finally {
                trickle.shutdownNow();
                for (Socket s : attackers) s.close();
            }
        }
    }

    @Test
    void aProtectedRouteAnswers401BeforeWaitingForTheBody() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp); Socket s = new Socket("127.0.0.1", gh.gatehouse().port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /v1/identities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 5000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 401");
        }
    }

    @Test
    void aConnectionThatNeverCompletesItsRequestHeadIsClosed() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of("server.requestHeadTimeoutSeconds", "1"));
             Socket s = new Socket("127.0.0.1", gh.gatehouse().port())) {
            s.setSoTimeout(8000);
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4000);
        }
    }

    @Test
    void oneAddressCannotHoldMoreThanItsShareOfConnections() throws Exception {
        try (TestGatehouse gh = TestGatehouse.start(tmp, null, Map.of("server.maxConnectionsPerAddress", "4"))) {
            List<Socket> held = new ArrayList<>();
            try {
                // Each held connection is served once (kept alive), so the server has certainly accepted all four before
                // the fifth arrives: with several acceptor threads, bare connects may be accepted in any order.
                for (int i = 0; i < 4; i++) held.add(servedOnce(gh));
                try (Socket fifth = new Socket("127.0.0.1", gh.gatehouse().port())) {
                    fifth.setSoTimeout(3000);
                    assertThat(fifth.getInputStream().read()).isEqualTo(-1);
                }
                assertThat(rawGet(gh, InetAddress.getByName("127.0.0.3"), "/healthz")).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket s : held) s.close();
            }
            // Closed connections give their slots back (the server notices the close a moment later).
            String again = "";
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); System.nanoTime() < end && !again.startsWith("HTTP/1.1 200"); ) {
                again = rawGet(gh, InetAddress.getByName("127.0.0.1"), "/healthz");
            }
            assertThat(again).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void malformedEscapesAndNonJsonBodiesAreClientErrorsWithoutStackTraces() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try (TestGatehouse gh = TestGatehouse.start(tmp)) {
            String query = rawGet(gh, InetAddress.getByName("127.0.0.1"), "/v1/identities?kind=%zz");
            assertThat(query).startsWith("HTTP/1.1 400").contains("\"error\":\"malformed_encoding\"").contains("\"field\":\"query\"");

            var form = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(gh.baseUri().resolve("oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=%G1")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(form.statusCode()).isEqualTo(400);
            assertThat(form.body()).contains("\"error\":\"invalid_request\"").contains("malformed %-escape");

            String path = rawGet(gh, InetAddress.getByName("127.0.0.1"), "/v1/identities/%zz");
            assertThat(path).startsWith("HTTP/1.1 400");

            var plain = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(gh.baseUri().resolve("v1/identities"))
                    .header("Authorization", "Bearer " + TestGatehouse.ADMIN_TOKEN).header("Content-Type", "text/plain")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"id\":\"alice\",\"kind\":\"human\",\"displayName\":\"A\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(415);
            assertThat(plain.body()).contains("\"error\":\"unsupported_media_type\"").contains("text/plain");
            assertThat(gh.http("GET", "/v1/identities/alice", null, TestGatehouse.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
                .isEmpty();
        assertThat(logged.list).filteredOn(e -> e.getThrowableProxy() != null).isEmpty();
    }

    /** A connection that has had one keep-alive request answered, and stays open. */
    private static Socket servedOnce(TestGatehouse gh) throws Exception {
        Socket s = new Socket("127.0.0.1", gh.gatehouse().port());
        s.setSoTimeout(3000);
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) break;
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        return s;
    }

    /** A GET over a raw socket from a chosen local address (the JDK client cannot bind one on Java 17). */
    private static String rawGet(TestGatehouse gh, InetAddress from, String path) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", gh.gatehouse().port()), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
                    + TestGatehouse.ADMIN_TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                return "(no answer within 3 s)";
            }
        }
    }
}
