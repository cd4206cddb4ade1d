package dev.gatehouse.core;

/** The server cannot start in this environment (store in use or unreachable, port taken); one line for the operator. */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String message, Throwable cause) { super(message, cause); }
}
