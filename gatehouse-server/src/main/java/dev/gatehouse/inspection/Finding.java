package dev.gatehouse.inspection;

/**
 * What a detector found: its type (e.g. {@code secret.aws_access_key}, {@code pii.payment_card}),
 * the classification it implies and how often it occurred. Never the matched value.
 */
public record Finding(String type, Classification classification, int count) {}
