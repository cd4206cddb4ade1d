package dev.gatehouse.cedar.ast;

/** The four request variables a policy can refer to. */
public enum Variable {
    PRINCIPAL, ACTION, RESOURCE, CONTEXT;

    /** As written in Cedar: {@code principal}, {@code action}, … */
    public String cedarName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
