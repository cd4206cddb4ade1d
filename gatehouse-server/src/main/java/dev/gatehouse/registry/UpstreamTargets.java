package dev.gatehouse.registry;

/**
 * What the operator lets a tool server point at, checked when one is registered or changed: stdio commands
 * are only those named in the server's configuration file, and URLs only reach destinations the outbound
 * policy allows. The same rules hold again when the gateway connects.
 */
public interface UpstreamTargets {
    /** Throws {@link dev.gatehouse.core.Problem.Invalid} (field {@code stdio}) unless a stdio command of this name is configured. */
    void checkStdio(String name);

    /** Throws {@link dev.gatehouse.core.Problem.Invalid} naming {@code field} when the URL's destination is refused. */
    void checkUrl(String field, String url);
}
