package dev.gatehouse.posture.discovery;

import java.time.Instant;
import java.util.List;

/**
 * Reads one real export format into discovered entries. Input that is not that format is a
 * {@link dev.gatehouse.core.Problem.Invalid} naming what is wrong (field {@code content}), never a
 * partial list.
 */
interface ExportParser {
    /** The {@code format} name of the import API. */
    String format();

    /** {@code now} dates ages (key age, account age) the way the report is read today. */
    List<Discovered> parse(String content, Instant now);
}
