package dev.gatehouse.approvals;

import java.util.List;

/**
 * A request for emergency access: which identity, which tools (patterns {@code server/tool},
 * {@code server/*}, {@code *}), for how long, and why.
 */
public record BreakGlassSpec(String identity, List<String> scope, Integer ttlSeconds, String justification) {}
