package dev.gatehouse.posture.discovery;

import java.util.Map;

/** One entry of an export, as a parser reads it: where it lives, a readable name, and its facts. */
record Discovered(String externalId, String name, Map<String, Object> facts) {}
