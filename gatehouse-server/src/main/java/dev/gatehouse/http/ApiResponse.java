package dev.gatehouse.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route returns: a JSON value, raw bytes, or a stream written after the headers
 * (server-sent events). Routes never touch Jetty types.
 */
public final class ApiResponse {
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final Object json;
    private final byte[] bytes;
    private final StreamBody stream;
    private final String contentType;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private ApiResponse(int status, Object json, byte[] bytes, StreamBody stream, String contentType) {
        this.status = status;
        this.json = json;
        this.bytes = bytes;
        this.stream = stream;
        this.contentType = contentType;
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, body, null, null, "application/json");
    }

    public static ApiResponse ok(Object body) { return json(200, body); }

    public static ApiResponse created(Object body) { return json(201, body); }

    public static ApiResponse noContent() { return new ApiResponse(204, null, null, null, null); }

    public static ApiResponse bytes(int status, String contentType, byte[] body) {
        return new ApiResponse(status, null, body, null, contentType);
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static ApiResponse stream(int status, String contentType, StreamBody body) {
        return new ApiResponse(status, null, null, body, contentType);
    }

    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }
    public Object json() { return json; }
    public byte[] bytes() { return bytes; }
    public StreamBody stream() { return stream; }
    public String contentType() { return contentType; }
    public Map<String, String> headers() { return headers; }
}
