package dev.gatehouse.registry;

import java.util.List;

public record GroupSpec(String id, String displayName, List<String> parents) {}
