package dev.gatehouse.cedar.ast;

/**
 * A position in policy text: character offset and 1-based line and column, so an error can say
 * exactly where the problem is.
 */
public record Location(int offset, int line, int column) {
    public static final Location UNKNOWN = new Location(0, 0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
