package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Location;

/**
 * Policy or schema text that is not valid Cedar, or that exceeds a {@link ParserLimits} limit.
 * The message starts with the {@code line:column} of the problem.
 */
public final class ParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;
    private final String reason;

    public ParseException(Location location, String reason) {
        super(location + ": " + reason, null, false, false);
        this.location = location;
        this.reason = reason;
    }

    /** Where the problem is. */
    public Location location() {
        return location;
    }

    public int line() {
        return location.line();
    }

    public int column() {
        return location.column();
    }

    /** The message without the position. */
    public String reason() {
        return reason;
    }
}
