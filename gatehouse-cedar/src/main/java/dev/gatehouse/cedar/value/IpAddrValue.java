package dev.gatehouse.cedar.value;

import java.util.ArrayList;
import java.util.List;

/**
 * Cedar's {@code ipaddr}: an IPv4 or IPv6 address with a prefix length (a single address has
 * prefix 32 or 128). The address is kept as written, not masked: {@code ip("10.0.0.1/8")} and
 * {@code ip("10.0.0.0/8")} are different values that cover the same range.
 *
 * @param v6     whether this is an IPv6 address
 * @param high   the upper 64 bits of an IPv6 address (0 for IPv4)
 * @param low    the lower 64 bits of an IPv6 address, or the 32-bit IPv4 address
 * @param prefix the prefix length, 0–32 or 0–128
 */
public record IpAddrValue(boolean v6, long high, long low, int prefix) implements ExtensionValue {
    private static final int MAX_TEXT = 43;

    /**
     * Parses an IPv4 or IPv6 address, optionally with {@code /prefix}. Follows the reference:
     * IPv4 octets without leading zeros, IPv6 groups of one to four hex digits with at most one
     * {@code ::}, prefixes without leading zeros, and no IPv4-embedded IPv6 forms.
     *
     * @throws IllegalArgumentException with the reason, when the text is not a valid address
     */
    public static IpAddrValue parse(String s) {
        if (s.length() > MAX_TEXT) {
            throw invalid(s, "too long");
        }
        if (count(s, ':') >= 2 && count(s, '.') >= 2) {
            throw invalid(s, "IPv4 embedded in IPv6 (e.g. ::ffff:127.0.0.1) is not accepted");
        }
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        String prefixText = slash < 0 ? null : s.substring(slash + 1);
        long[] v4 = parseV4(address);
        if (v4 != null) {
            return new IpAddrValue(false, 0, v4[0], prefixText == null ? 32 : prefix(s, prefixText, 2, 32));
        }
        long[] v6 = parseV6(address);
        if (v6 != null) {
            return new IpAddrValue(true, v6[0], v6[1], prefixText == null ? 128 : prefix(s, prefixText, 3, 128));
        }
        throw invalid(s, "not an IPv4 or IPv6 address");
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static int prefix(String s, String p, int maxLength, int max) {
        if (p.isEmpty() || p.length() > maxLength || (p.startsWith("0") && !p.equals("0")) || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid(s, "bad prefix length `" + p + "`");
        }
        int n = Integer.parseInt(p);
        if (n > max) {
            throw invalid(s, "prefix length " + n + " is larger than " + max);
        }
        return n;
    }

    private static long[] parseV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        long addr = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || (p.startsWith("0") && p.length() > 1) || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int n = Integer.parseInt(p);
            if (n > 255) {
                return null;
            }
            addr = (addr << 8) | n;
        }
        return new long[] {addr};
    }

    private static long[] parseV6(String s) {
        int gap = s.indexOf("::");
        List<Integer> groups;
        if (gap < 0) {
            groups = groups(s);
            if (groups == null || groups.size() != 8) {
                return null;
            }
        } else {
            if (s.indexOf("::", gap + 1) >= 0) {
                return null;
            }
            List<Integer> head = groups(s.substring(0, gap));
            List<Integer> tail = groups(s.substring(gap + 2));
            if (head == null || tail == null || head.size() + tail.size() >= 8) {
                return null;
            }
            groups = new ArrayList<>(head);
            for (int i = head.size() + tail.size(); i < 8; i++) {
                groups.add(0);
            }
            groups.addAll(tail);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | groups.get(i);
            low = (low << 16) | groups.get(i + 4);
        }
        return new long[] {high, low};
    }

    private static List<Integer> groups(String s) {
        List<Integer> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4) {
                return null;
            }
            int n = 0;
            for (int i = 0; i < g.length(); i++) {
                int d = Character.digit(g.charAt(i), 16);
                if (d < 0 || g.charAt(i) > 'f') {
                    return null;
                }
                n = n * 16 + d;
            }
            out.add(n);
        }
        return out;
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("`" + s + "` is not an IP address or range: " + why);
    }

    public boolean isIpv4() {
        return !v6;
    }

    public boolean isIpv6() {
        return v6;
    }

    /** In 127.0.0.0/8 (IPv4) or exactly ::1 (IPv6), with a prefix that keeps the whole range there. */
    public boolean isLoopback() {
        return v6 ? high == 0 && low == 1 && prefix == 128 : (low >>> 24) == 127 && prefix >= 8;
    }

    /** In 224.0.0.0/4 (IPv4) or ff00::/8 (IPv6), with a prefix that keeps the whole range there. */
    public boolean isMulticast() {
        return v6 ? (high >>> 56) == 0xff && prefix >= 8 : (low >>> 28) == 0xe && prefix >= 4;
    }

    /** True when this address range lies entirely within {@code range} (both of the same IP version). */
    public boolean isInRange(IpAddrValue range) {
        if (v6 != range.v6) {
            return false;
        }
        if (!v6) {
            long selfMask = mask32(prefix);
            long otherMask = mask32(range.prefix);
            long selfNet = low & selfMask;
            long selfTop = low | (~selfMask & 0xffffffffL);
            long otherNet = range.low & otherMask;
            long otherTop = range.low | (~otherMask & 0xffffffffL);
            return otherNet <= selfNet && selfTop <= otherTop;
        }
        long[] selfNet = network(high, low, prefix);
        long[] selfTop = broadcast(high, low, prefix);
        long[] otherNet = network(range.high, range.low, range.prefix);
        long[] otherTop = broadcast(range.high, range.low, range.prefix);
        return compare128(otherNet, selfNet) <= 0 && compare128(selfTop, otherTop) <= 0;
    }

    private static long mask32(int prefix) {
        return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    private static long[] mask128(int prefix) {
        long hi = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
        long lo = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
        return new long[] {hi, lo};
    }

    private static long[] network(long hi, long lo, int prefix) {
        long[] m = mask128(prefix);
        return new long[] {hi & m[0], lo & m[1]};
    }

    private static long[] broadcast(long hi, long lo, int prefix) {
        long[] m = mask128(prefix);
        return new long[] {hi | ~m[0], lo | ~m[1]};
    }

    private static int compare128(long[] a, long[] b) {
        int c = Long.compareUnsigned(a[0], b[0]);
        return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
    }

    @Override
    public String typeName() {
        return "ipaddr";
    }

    /** The address and prefix, e.g. {@code 10.0.0.1/32} or {@code 0:0:0:0:0:0:0:1/128}. */
    public String text() {
        if (!v6) {
            return ((low >>> 24) & 0xff) + "." + ((low >>> 16) & 0xff) + "." + ((low >>> 8) & 0xff) + "." + (low & 0xff) + "/" + prefix;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            long word = i < 4 ? high : low;
            int shift = 48 - 16 * (i % 4);
            if (i > 0) {
                b.append(':');
            }
            b.append(Long.toHexString((word >>> shift) & 0xffff));
        }
        return b.append('/').append(prefix).toString();
    }

    @Override
    public String toCedar() {
        return "ip(\"" + text() + "\")";
    }

    @Override
    public String toString() {
        return toCedar();
    }
}
