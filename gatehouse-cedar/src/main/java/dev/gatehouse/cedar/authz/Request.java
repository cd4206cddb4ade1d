package dev.gatehouse.cedar.authz;

import dev.gatehouse.cedar.value.EntityUid;
import dev.gatehouse.cedar.value.RecordValue;
import java.util.Objects;

/** Who wants to do what to which resource, and in what context. */
public record Request(EntityUid principal, EntityUid action, EntityUid resource, RecordValue context) {
    public Request {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        context = context == null ? RecordValue.EMPTY : context;
    }

    public static Request of(EntityUid principal, EntityUid action, EntityUid resource) {
        return new Request(principal, action, resource, RecordValue.EMPTY);
    }
}
