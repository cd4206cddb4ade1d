package dev.gatehouse.posture.discovery;

import java.util.List;

/** What an import found: how many entries, how many were new, and the discovered identities it touched. */
public record ImportResult(String format, int entries, int created, int updated, List<DiscoveredIdentity> items) {}
