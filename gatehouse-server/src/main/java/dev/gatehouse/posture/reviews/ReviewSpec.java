package dev.gatehouse.posture.reviews;

import java.time.Instant;

/** What an admin asks for to open an access review ({@code POST /v1/reviews}). */
public record ReviewSpec(String name, ReviewScope scope, Instant dueAt, OnMissed onMissed) {}
