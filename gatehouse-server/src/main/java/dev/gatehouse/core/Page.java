package dev.gatehouse.core;

import java.util.List;

/** One page of a listing; {@code next} is the cursor of the following page, null on the last. */
public record Page<T>(List<T> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) String next) {}
