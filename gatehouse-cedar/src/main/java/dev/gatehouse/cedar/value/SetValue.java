package dev.gatehouse.cedar.value;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A Cedar set: unordered, without duplicates, compared by its elements. Immutable; element order
 * is the order of first insertion, which only matters for printing.
 */
public final class SetValue implements Value, Iterable<Value> {
    public static final SetValue EMPTY = new SetValue(Collections.emptySet());

    private final Set<Value> elements;
    private int hash;

    private SetValue(Set<Value> elements) {
        this.elements = elements;
    }

    public static SetValue of(Value... elements) {
        if (elements.length == 0) {
            return EMPTY;
        }
        LinkedHashSet<Value> set = new LinkedHashSet<>(elements.length * 2);
        for (Value v : elements) {
            set.add(java.util.Objects.requireNonNull(v, "set element"));
        }
        return new SetValue(Collections.unmodifiableSet(set));
    }

    public static SetValue of(Collection<? extends Value> elements) {
        if (elements.isEmpty()) {
            return EMPTY;
        }
        LinkedHashSet<Value> set = new LinkedHashSet<>(elements.size() * 2);
        for (Value v : elements) {
            set.add(java.util.Objects.requireNonNull(v, "set element"));
        }
        return new SetValue(Collections.unmodifiableSet(set));
    }

    /** The elements, unmodifiable. */
    public Set<Value> elements() {
        return elements;
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public boolean contains(Value v) {
        return elements.contains(v);
    }

    /** True when every element of {@code other} is in this set. */
    public boolean containsAll(SetValue other) {
        return other.elements.size() <= elements.size() ? elements.containsAll(other.elements) : other.elements.stream().allMatch(elements::contains);
    }

    /** True when the two sets share an element. */
    public boolean containsAny(SetValue other) {
        Set<Value> small = elements.size() <= other.elements.size() ? elements : other.elements;
        Set<Value> large = small == elements ? other.elements : elements;
        for (Value v : small) {
            if (large.contains(v)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Iterator<Value> iterator() {
        return elements.iterator();
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String toCedar() {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Value v : elements) {
            j.add(v.toCedar());
        }
        return j.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof SetValue s && s.hashCode() == hashCode() && elements.equals(s.elements);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = elements.hashCode() ^ 0x5e7;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
