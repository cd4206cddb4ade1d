package dev.gatehouse.http;

/** The one error shape of the API: {@code {"error","message","field"}}. */
public record ErrorBody(String error, String message, String field) {
    public static ErrorBody of(String error, String message) { return new ErrorBody(error, message, null); }
}
