package dev.gatehouse.outbound;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where Gatehouse may connect to. A URL an admin registers (a tool server, an OAuth token URL) or configures
 * (a webhook, a JWKS) is turned into requests the server makes from inside the network, so it must not reach
 * what only the server can reach: loopback, private networks, link-local addresses (169.254.169.254 and
 * fd00:ec2::254 are cloud metadata services that hand out credentials), shared, multicast or reserved space.
 * Such destinations are refused unless {@code outbound.allow} lists the address range or the host name.
 *
 * <p>The check applies to the address a connection actually goes to ({@link GuardedResolver}), so a name that
 * resolves differently later (DNS rebinding) or a redirect gains nothing.
 */
public final class Destinations {
    /** IANA special-purpose and non-global ranges (RFC 6890 and successors); IPv4-in-IPv6 forms are unwrapped first. */
    private static final List<Cidr> NOT_PUBLIC = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.88.99.0/24"), Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("100::/64"), Cidr.parse("2001::/23"), Cidr.parse("2001:db8::/32"),
            Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    private final List<Cidr> allowedRanges;
    private final List<String> allowedHosts;

    private Destinations(List<Cidr> allowedRanges, List<String> allowedHosts) {
        this.allowedRanges = List.copyOf(allowedRanges);
        this.allowedHosts = List.copyOf(allowedHosts);
    }

    /** From {@code outbound.allow}: CIDR ranges, single addresses, or host names; throws naming a bad entry. */
    public static Destinations allowing(List<String> allow) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String entry : allow == null ? List.<String>of() : allow) {
            String e = entry.strip();
            if (e.isEmpty()) continue;
            if (e.contains("/") || InetAddresses.isInetAddress(e)) {
                ranges.add(Cidr.parse(e.contains("/") ? e : e + (e.contains(":") ? "/128" : "/32")));
            } else if (e.matches("[A-Za-z0-9.-]{1,253}")) {
                hosts.add(e.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException("outbound.allow entry '" + e + "' is neither an address range nor a host name");
            }
        }
        return new Destinations(ranges, hosts);
    }

    /** Nothing but public destinations. */
    public static Destinations publicOnly() { return new Destinations(List.of(), List.of()); }

    /** Why a connection to {@code address} (for {@code host}) is refused; empty when it may go ahead. */
    public Optional<String> refusal(String host, InetAddress address) {
        if (host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT))) return Optional.empty();
        for (Cidr c : allowedRanges) if (c.contains(address)) return Optional.empty();
        InetAddress effective = unwrapIPv4(address);
        for (Cidr c : NOT_PUBLIC) {
            if (c.contains(effective) || c.contains(address)) {
                // An allow entry for the embedded IPv4 address counts too (::ffff:10.0.0.5 when 10.0.0.0/8 is allowed).
                for (Cidr a : allowedRanges) if (a.contains(effective)) return Optional.empty();
                return Optional.of(InetAddresses.toAddrString(address) + " is a " + kind(effective)
                        + " address (list it in outbound.allow to permit it)");
            }
        }
        return Optional.empty();
    }

    /**
     * The check for a URL being registered: a literal address, or every address its host resolves to now. A name
     * that does not resolve yet passes here; the connect-time check still applies whenever it does.
     */
    public Optional<String> refusal(URI url) {
        String host = url.getHost();
        if (host == null) return Optional.of("the URL has no host");
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddresses.isInetAddress(bare) ? new InetAddress[] {InetAddresses.forString(bare)} : InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress a : addresses) {
            Optional<String> refused = refusal(bare, a);
            if (refused.isPresent()) return Optional.of(host + " resolves to " + refused.get());
        }
        return Optional.empty();
    }

    /**
     * Whether {@code url}'s host is one the operator listed in {@code outbound.allow} by name, or a literal address in
     * a listed range. Used where plain http is acceptable only for what the operator named on purpose.
     */
    public boolean lists(URI url) {
        String host = url.getHost();
        if (host == null) return false;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) return true;
        if (!InetAddresses.isInetAddress(bare)) return false;
        InetAddress address = InetAddresses.forString(bare);
        for (Cidr c : allowedRanges) if (c.contains(address)) return true;
        return false;
    }

    /** IPv4 carried inside IPv6 (mapped, compatible, 6to4, Teredo, NAT64) is judged as that IPv4 address. */
    private static InetAddress unwrapIPv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) return address;
        if (InetAddresses.hasEmbeddedIPv4ClientAddress(v6)) return InetAddresses.getEmbeddedIPv4ClientAddress(v6);
        if (NAT64.contains(v6)) {
            byte[] b = v6.getAddress();
            return InetAddresses.fromInteger(((b[12] & 0xff) << 24) | ((b[13] & 0xff) << 16) | ((b[14] & 0xff) << 8) | (b[15] & 0xff));
        }
        return address;
    }

    private static String kind(InetAddress a) {
        if (a.isLoopbackAddress()) return "loopback";
        if (a.isLinkLocalAddress()) return "link-local (cloud metadata)";
        if (a.isSiteLocalAddress() || (a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc)) return "private";
        if (a.isMulticastAddress()) return "multicast";
        if (a.isAnyLocalAddress()) return "unspecified";
        return a instanceof Inet4Address ? "non-public IPv4" : "non-public IPv6";
    }

    /** An address range: network bits and prefix length, for IPv4 or IPv6. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("not a CIDR range: " + text);
            String host = text.substring(0, slash);
            if (!InetAddresses.isInetAddress(host)) throw new IllegalArgumentException("outbound.allow entry '" + text + "' is not an address range");
            byte[] net = InetAddresses.forString(host).getAddress();
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("outbound.allow entry '" + text + "' has no prefix length");
            }
            if (prefix < 0 || prefix > net.length * 8) throw new IllegalArgumentException("outbound.allow entry '" + text + "' has a bad prefix length");
            return new Cidr(net, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
