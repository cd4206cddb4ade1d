package dev.gatehouse.policy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs cedar-java's native parsing and validation on threads with 256 MiB stacks instead of the caller's
 * (a request thread's default is 1 MiB). {@link PolicyTextLimits} already keeps the text far below what a
 * small stack survives; this is the second wall, should a construct the limits do not count recurse deeper.
 * The stack is reserved address space, touched only as deep as a parse goes.
 */
final class LargeStack {
    private static final long STACK_BYTES = 256L << 20;
    private static final AtomicInteger COUNT = new AtomicInteger();
    // Two threads: validation is rare and CPU-bound; more would only let a burst of uploads crowd out decisions.
    private static final ExecutorService THREADS = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(null, r, "cedar-parse-" + COUNT.incrementAndGet(), STACK_BYTES);
        t.setDaemon(true);
        return t;
    });

    private LargeStack() {}

    static <T> T run(Supplier<T> work) {
        if (Thread.currentThread().getName().startsWith("cedar-parse-")) return work.get();
        Future<T> result = THREADS.submit(work::get);
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing policies", e);
        }
    }
}
