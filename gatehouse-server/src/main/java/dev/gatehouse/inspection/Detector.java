package dev.gatehouse.inspection;

import java.util.Set;

/**
 * One kind of thing content inspection recognises. The inspector makes a single pass over the
 * text and calls a detector only at its {@link Trigger} characters (an AWS key can only start at an
 * {@code A}, an e-mail address only surrounds an {@code @}), so adding a detector costs a table
 * entry, not another pass: that is how inspection keeps up with tool traffic.
 */
public interface Detector {
    /** The finding types this detector reports (e.g. {@code pii.email}). */
    Set<String> types();

    /** Where the single pass calls {@link #detect}. */
    Trigger trigger();

    /**
     * Looks for a match at or around position {@code at} of {@code text} (where a trigger character
     * is) and reports each match's span to {@code hits}. Must not throw on any input.
     */
    void detect(String text, int at, Hits hits);

    /**
     * When findings overlap, the higher rank wins: a JWT assigned to {@code "token": …} is a
     * {@code secret.jwt}, not also a generic high-entropy value.
     */
    default int rank() { return 10; }

    /**
     * @param chars      ASCII characters at which the detector is called
     * @param tokenStart call only when the previous character is not an ASCII letter or digit
     *                   (the trigger begins a token)
     */
    record Trigger(String chars, boolean tokenStart) {
        /** Called once per text at position 0, for detectors that scan on their own (configured regexes). */
        public static final Trigger WHOLE_TEXT = new Trigger("", false);

        public boolean wholeText() { return chars.isEmpty(); }
    }
}
