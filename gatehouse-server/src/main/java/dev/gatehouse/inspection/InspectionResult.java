package dev.gatehouse.inspection;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The classification of a piece of content (the highest its findings imply) and its findings. */
public record InspectionResult(Classification classification, List<Finding> findings) {
    public InspectionResult {
        findings = List.copyOf(findings);
    }

    public static InspectionResult clean() { return new InspectionResult(Classification.PUBLIC, List.of()); }

    public Set<String> findingTypes() {
        Set<String> types = new TreeSet<>();
        for (Finding f : findings) types.add(f.type());
        return types;
    }
}
