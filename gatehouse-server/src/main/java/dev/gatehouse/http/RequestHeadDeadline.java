package dev.gatehouse.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A new connection must deliver a complete request head within the deadline, else it is closed. The idle
 * timeout alone does not stop a client that sends one header byte just before each timeout (Slowloris).
 */
final class RequestHeadDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration deadline;

    RequestHeadDeadline(Scheduler scheduler, Duration deadline) {
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public void onOpened(Connection connection) {
        scheduler.schedule(() -> {
            if (connection.getMessagesIn() == 0 && connection.getEndPoint().isOpen()) connection.getEndPoint().close();
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
