package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream MCP server the gateway launches as a child process and speaks to over stdio
 * (newline-delimited JSON-RPC). One process per gateway session: sessions of different tasks never
 * share a process, so one task's state inside a tool server cannot leak into another's, and ending
 * the session ends the process. The child gets a minimal environment, not the gateway's (which may
 * hold the key-encryption key or database password). A process has no per-request headers, so it gets no per-call
 * identity ({@link Attribution} is not used): the registry accepts {@code upstreamAuth} other than {@code static} only
 * for HTTP tool servers.
 */
final class StdioUpstream implements Upstream {
    private static final Logger log = LoggerFactory.getLogger(StdioUpstream.class);
    private static final List<String> INHERITED_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT");

    private final Process process;
    private final OutputStream stdin;
    /** Requests in flight by JSON id text, oldest first; interim messages attach to the oldest. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private volatile boolean closed;

    private static final class Pending {
        final CompletableFuture<JsonNode> response = new CompletableFuture<>();
        final List<JsonNode> interim = new ArrayList<>();
    }

    StdioUpstream(StdioCommand command, String name) throws UpstreamException {
        ProcessBuilder pb = new ProcessBuilder(command.command());
        Map<String, String> env = pb.environment();
        Map<String, String> keep = new LinkedHashMap<>();
        for (String k : INHERITED_ENV) if (env.get(k) != null) keep.put(k, env.get(k));
        env.clear();
        env.putAll(keep);
        env.putAll(command.env()); // what the operator configured for this command, nothing of the gateway's own
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new UpstreamException("upstream_unavailable", "the tool server command could not be started");
        }
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readStdout, "mcp-stdio-" + name);
        reader.setDaemon(true);
        reader.start();
        Thread errors = new Thread(this::drainStderr, "mcp-stderr-" + name);
        errors.setDaemon(true);
        errors.start();
    }

    @Override
    public void protocolVersion(String version) {
        // stdio has no per-message headers: the version lives in the initialize exchange only.
    }

    @Override
    public Exchange request(ObjectNode request, Attribution on, Duration timeout) throws UpstreamException {
        String key = Json.write(request.get("id"));
        Pending p = new Pending();
        synchronized (pending) {
            if (pending.containsKey(key)) throw new UpstreamException("duplicate_request_id", "a request with this id is still in flight");
            pending.put(key, p);
        }
        try {
            write(request);
            JsonNode response = p.response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            synchronized (pending) {
                return new Exchange(response, List.copyOf(p.interim));
            }
        } catch (TimeoutException e) {
            throw new UpstreamException("upstream_timeout", "the upstream did not answer in time");
        } catch (ExecutionException e) {
            throw new UpstreamException("upstream_unavailable", "the tool server process ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("upstream_unavailable", "interrupted");
        } finally {
            synchronized (pending) {
                pending.remove(key);
            }
        }
    }

    @Override
    public void send(ObjectNode message, Attribution on) throws UpstreamException {
        write(message);
    }

    private void write(ObjectNode message) throws UpstreamException {
        if (closed || !process.isAlive()) throw new UpstreamException("upstream_unavailable", "the tool server process ended");
        byte[] line = (Json.write(message) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (stdin) {
                stdin.write(line);
                stdin.flush();
            }
        } catch (IOException e) {
            throw new UpstreamException("upstream_unavailable", "the tool server process does not accept input");
        }
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode message;
                try {
                    message = McpMessage.JSON.readTree(line);
                } catch (IOException e) {
                    log.debug("tool server wrote a line that is not JSON; ignored");
                    continue;
                }
                if (message == null || !message.isObject()) continue;
                boolean isResponse = !message.has("method") && (message.has("result") || message.has("error"));
                synchronized (pending) {
                    if (isResponse) {
                        Pending p = pending.get(Json.write(message.get("id")));
                        if (p != null) p.response.complete(message);
                    } else if (!pending.isEmpty()) {
                        pending.values().iterator().next().interim.add(message);
                    }
                    // With nothing in flight there is no open response to relay it on (no GET stream): dropped.
                }
            }
        } catch (IOException e) {
            log.debug("tool server stdout closed: {}", e.getClass().getSimpleName());
        } finally {
            synchronized (pending) {
                for (Pending p : pending.values()) p.response.completeExceptionally(new IOException("process ended"));
            }
        }
    }

    private void drainStderr() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (log.isDebugEnabled()) log.debug("tool server stderr: {}", line.length() > 300 ? line.substring(0, 300) : line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Closes stdin (the spec's graceful shutdown for stdio), then terminates the process if it lingers. */
    @Override
    public void close() {
        closed = true;
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
