package dev.gatehouse.cedar.authz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Collects, for one request, which policies were satisfied and which failed. Not thread-safe; one per request. */
final class Outcome {
    private int[] permits = new int[8];
    private int permitCount;
    private int[] forbids = new int[8];
    private int forbidCount;
    private List<int[]> errorIndexes;
    private List<String> errorMessages;

    void satisfied(CompiledPolicy p) {
        if (p.forbid) {
            if (forbidCount == forbids.length) {
                forbids = Arrays.copyOf(forbids, forbidCount * 2);
            }
            forbids[forbidCount++] = p.index;
        } else {
            if (permitCount == permits.length) {
                permits = Arrays.copyOf(permits, permitCount * 2);
            }
            permits[permitCount++] = p.index;
        }
    }

    /** Makes room for {@code n} more satisfied policies of one effect, so a large group grows the list once. */
    void reserve(boolean forbid, int n) {
        if (forbid && forbidCount + n > forbids.length) {
            forbids = Arrays.copyOf(forbids, forbidCount + n);
        } else if (!forbid && permitCount + n > permits.length) {
            permits = Arrays.copyOf(permits, permitCount + n);
        }
    }

    void failed(CompiledPolicy p, String message) {
        if (errorIndexes == null) {
            errorIndexes = new ArrayList<>();
            errorMessages = new ArrayList<>();
        }
        errorIndexes.add(new int[] {p.index});
        errorMessages.add(message);
    }

    private static boolean sorted(int[] a, int n) {
        for (int i = 1; i < n; i++) {
            if (a[i - 1] > a[i]) {
                return false;
            }
        }
        return true;
    }

    Response toResponse(CompiledPolicy[] policies) {
        Decision decision;
        int[] determining;
        int count;
        if (forbidCount > 0) {
            decision = Decision.DENY;
            determining = forbids;
            count = forbidCount;
        } else if (permitCount > 0) {
            decision = Decision.ALLOW;
            determining = permits;
            count = permitCount;
        } else {
            decision = Decision.DENY;
            determining = permits;
            count = 0;
        }
        // Units report in index order within themselves; sort only when several units interleave.
        if (!sorted(determining, count)) {
            Arrays.sort(determining, 0, count);
        }
        List<AuthorizationError> errors;
        if (errorIndexes == null) {
            errors = List.of();
        } else {
            Integer[] order = new Integer[errorIndexes.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Integer.compare(errorIndexes.get(a)[0], errorIndexes.get(b)[0]));
            AuthorizationError[] out = new AuthorizationError[order.length];
            for (int i = 0; i < order.length; i++) {
                out[i] = new AuthorizationError(policies[errorIndexes.get(order[i])[0]].policy.id(), errorMessages.get(order[i]));
            }
            errors = List.of(out);
        }
        return new Response(decision, count == 0 ? List.of() : new PolicyIdList(policies, determining, count), errors);
    }
}
