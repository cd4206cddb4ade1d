package dev.gatehouse.cedar.authz;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The ids of some policies of a set, read through their positions: a response that lists
 * thousands of determining policies costs one array of positions, not a copy of every id.
 * Immutable.
 */
final class PolicyIdList extends AbstractList<String> implements RandomAccess {
    private final CompiledPolicy[] policies;
    private final int[] positions;
    private final int size;

    PolicyIdList(CompiledPolicy[] policies, int[] positions, int size) {
        this.policies = policies;
        this.positions = positions;
        this.size = size;
    }

    @Override
    public String get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return policies[positions[index]].policy.id();
    }

    @Override
    public int size() {
        return size;
    }
}
