package dev.gatehouse.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what one logger writes while a test provokes it on purpose, instead of the console: a
 * passing test prints no ERROR line, and the test can check that operators would have heard about it.
 */
public final class ExpectedLog implements AutoCloseable {
    private final Logger logger;
    private final boolean additive;
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    private ExpectedLog(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        additive = logger.isAdditive();
        captured.start();
        logger.addAppender(captured);
        logger.setAdditive(false);
    }

    public static ExpectedLog of(Class<?> source) { return new ExpectedLog(source); }

    /** The formatted messages logged so far, as {@code LEVEL message}. */
    public List<String> lines() {
        return captured.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(captured);
        logger.setAdditive(additive);
        captured.stop();
    }
}
