package dev.gatehouse.config;

/** Configuration that cannot be used; the message names the key, never a secret value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) { super(message); }
}
