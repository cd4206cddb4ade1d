package dev.gatehouse.client;

/** The server answered with an error body {@code {error, message, field}}. */
public final class GatehouseApiException extends RuntimeException {
    private final int status;
    private final String error;
    private final String field;

    public GatehouseApiException(int status, String error, String message, String field) {
        super(message);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    public int status() { return status; }
    public String error() { return error; }
    public String field() { return field; }

    /** One line for a terminal: {@code 400 invalid_request (owner): owner 'x' does not exist}. */
    public String oneLine() {
        return status + " " + error + (field == null ? "" : " (" + field + ")") + ": " + getMessage();
    }
}
