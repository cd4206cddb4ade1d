package dev.gatehouse.console.stepup;

/** A second factor was not proved: the message is for the person (never a code, key or challenge). */
public final class StepUpFailed extends RuntimeException {
    public StepUpFailed(String message) { super(message, null, false, false); }
}
