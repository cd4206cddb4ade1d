package dev.gatehouse.cedar.json;

/** JSON that is not a valid Cedar entity, context or value; the message says where and why. */
public final class CedarJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** An error with its explanation. */
    public CedarJsonException(String message) {
        super(message);
    }
}
