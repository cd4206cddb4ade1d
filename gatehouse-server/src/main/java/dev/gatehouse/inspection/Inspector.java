package dev.gatehouse.inspection;

/**
 * Content inspection, usable on its own: classifies text (tool arguments, tool results) by what
 * its detectors find, and masks findings when a result must be redacted. Results name finding
 * types only, never the matched values, so they may be logged and audited.
 *
 * @param labels classifications declared on the tool / tool server the content belongs to
 *               (e.g. a tool labelled {@code confidential}); the result is at least the highest label
 */
public interface Inspector {
    InspectionResult inspect(String content, java.util.Set<Classification> labels);

    /** {@code content} with every finding masked, and what was found. */
    Redaction redact(String content, java.util.Set<Classification> labels);

    record Redaction(String content, InspectionResult result) {}
}
