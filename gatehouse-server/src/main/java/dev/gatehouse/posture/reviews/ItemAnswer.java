package dev.gatehouse.posture.reviews;

import dev.gatehouse.registry.Scope;

/** An owner's answer for one identity ({@code POST /v1/reviews/{id}/items/{identity}}); {@code scope} only with reduce. */
public record ItemAnswer(ReviewDecision decision, Scope scope, String comment) {}
