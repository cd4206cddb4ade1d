package dev.gatehouse.policy;

/** A validation failure of a policy directory, located in its file (1-based line and column; 0 when unknown). */
public record PolicyError(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + message : file + ": " + message;
    }
}
