package dev.gatehouse.posture;

import java.util.List;
import java.util.Map;

/**
 * One thing wrong with the posture now. {@code identity} is an inventory identity id, {@code discovered:<id>}
 * for a discovered one, {@code toolserver:<id>} for a tool server or its feature; {@code owner} the human who
 * answers for it (null when nobody does — which is often the point).
 */
public record Finding(FindingType type, String identity, String owner, Severity severity, List<String> owaspNhi, List<String> owaspAgentic,
                      Map<String, Object> detail) {

    public static Finding of(FindingType type, String identity, String owner, Severity severity, Map<String, Object> detail) {
        return new Finding(type, identity, owner, severity, type.owaspNhi(), type.owaspAgentic(), detail);
    }

    /** With extra OWASP items this instance is evidence against (e.g. an anomaly's own item). */
    Finding alsoAgainst(List<String> nhi, List<String> agentic) {
        List<String> n = new java.util.ArrayList<>(owaspNhi);
        for (String x : nhi) if (!n.contains(x)) n.add(x);
        List<String> a = new java.util.ArrayList<>(owaspAgentic);
        for (String x : agentic) if (!a.contains(x)) a.add(x);
        return new Finding(type, identity, owner, severity, List.copyOf(n), List.copyOf(a), detail);
    }
}
