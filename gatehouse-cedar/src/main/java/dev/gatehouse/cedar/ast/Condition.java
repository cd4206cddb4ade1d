package dev.gatehouse.cedar.ast;

/** A {@code when { … }} or {@code unless { … }} clause. */
public record Condition(boolean when, Expr body) {
}
