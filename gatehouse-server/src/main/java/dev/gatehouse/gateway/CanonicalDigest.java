package dev.gatehouse.gateway;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.core.Secrets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The digest an approval grant is bound to (and a feature definition pinned to): SHA-256 over a canonical form of the call's payload in
 * which object keys are sorted and every value is written exactly as the gateway forwards it. Unlike
 * RFC 8785 (whose numbers are IEEE doubles, so 1800000000000000000 and 1800000000000000100 collide),
 * integers keep every digit and decimals their exact digits and scale: two payloads with different
 * values never share a digest, and the payload forwarded after an approval is the one approved.
 */
final class CanonicalDigest {
    private CanonicalDigest() {}

    static String of(JsonNode payload) {
        StringBuilder out = new StringBuilder();
        write(payload, out);
        return Secrets.sha256Hex(out.toString());
    }

    private static void write(JsonNode n, StringBuilder out) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                List<String> keys = new ArrayList<>();
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) keys.add(it.next());
                keys.sort(null); // UTF-16 code unit order, as RFC 8785
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) out.append(',');
                    string(keys.get(i), out);
                    out.append(':');
                    write(n.get(keys.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < n.size(); i++) {
                    if (i > 0) out.append(',');
                    write(n.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(n.textValue(), out);
            case NUMBER -> out.append(n.isIntegralNumber() ? n.bigIntegerValue().toString() : n.decimalValue().toString());
            case BOOLEAN -> out.append(n.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not JSON: " + n.getNodeType());
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
    }
}
