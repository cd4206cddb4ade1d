package dev.gatehouse.cedar.eval;

/**
 * A Cedar evaluation error: the policy being evaluated is skipped and reported as erroring. These
 * are expected outcomes of evaluation (a missing attribute, a type mismatch), not bugs, so they
 * carry no stack trace.
 */
public final class EvaluationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of error Cedar distinguishes. */
    public enum Kind {
        TYPE_ERROR, ENTITY_DOES_NOT_EXIST, ATTRIBUTE_DOES_NOT_EXIST, TAG_DOES_NOT_EXIST, OVERFLOW, EXTENSION_ERROR
    }

    private final Kind kind;

    public EvaluationException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static EvaluationException typeError(String expected, dev.gatehouse.cedar.value.Value got) {
        String shown = got.toCedar();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new EvaluationException(Kind.TYPE_ERROR, "type error: expected " + expected + ", got " + got.typeName() + " " + shown);
    }
}
