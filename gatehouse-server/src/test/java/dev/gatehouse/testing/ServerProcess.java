package dev.gatehouse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar running {@code gatehouse serve} as a separate OS process, as an operator runs
 * it: for tests of the launcher contract, logging and crash recovery. Used by *IT tests, which
 * run after {@code package} (the jar path comes from the {@code gatehouse.jar} property).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?)://[^:]+:(\\d+)");

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<URI> ready = new CompletableFuture<>();

    private ServerProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), stdout, true);
        pump(process.getErrorStream(), stderr, false);
    }

    /** Starts {@code java -jar gatehouse.jar serve <args>} with extra environment, and waits until it listens. */
    public static ServerProcess start(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString(), "serve"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("GATEHOUSE_"));
        pb.environment().putAll(env);
        ServerProcess p = new ServerProcess(pb.start());
        try {
            p.ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.kill();
            throw new IllegalStateException("server did not start; stderr:\n" + String.join("\n", p.stderr), e);
        }
        return p;
    }

    public static Path jar() {
        String jar = System.getProperty("gatehouse.jar");
        if (jar == null) throw new IllegalStateException("gatehouse.jar property not set: run *IT tests through Maven failsafe");
        return Path.of(jar);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public URI baseUri() { return ready.join(); }

    public List<String> stdout() { return List.copyOf(stdout); }

    public List<String> stderr() { return List.copyOf(stderr); }

    public long pid() { return process.pid(); }

    /** SIGKILL: no shutdown hook, no flush — a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }

    private void pump(java.io.InputStream in, List<String> sink, boolean watchForReady) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    sink.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (watchForReady && m.find()) ready.complete(URI.create(m.group(1) + "://127.0.0.1:" + m.group(2) + "/"));
                }
            } catch (IOException ignored) {
                // process ended
            }
            ready.completeExceptionally(new IllegalStateException("process output ended before it listened"));
        }, "server-process-output");
        t.setDaemon(true);
        t.start();
    }
}
