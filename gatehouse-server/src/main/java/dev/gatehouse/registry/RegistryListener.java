package dev.gatehouse.registry;

/** Reacts to inventory changes, inside the changing transaction; throwing aborts the change. */
@FunctionalInterface
public interface RegistryListener {
    void onChange(RegistryChange change);
}
