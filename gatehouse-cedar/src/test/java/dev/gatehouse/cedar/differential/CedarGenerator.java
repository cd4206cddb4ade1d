package dev.gatehouse.cedar.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random Cedar scenarios for the differential test: policy text covering the whole expression
 * language, entity graphs and requests as Cedar JSON.
 *
 * <p>Two random sources: {@code shape} decides the structure of a policy (operators, nesting,
 * which attribute is read), {@code literal} decides literal values. Replaying the same shape seed
 * with another literal seed yields a policy of the same shape with different constants — the
 * "families" of similar policies real policy sets are made of, which the authorizer evaluates
 * together.
 *
 * <p>Nesting stays shallow (cedar-java's native parser crashes on deeply nested input).
 */
final class CedarGenerator {
    static final String[] TYPES = {"User", "Group", "Doc", "Ns::Thing"};
    static final String[] IDS = {"a", "b", "c", "d", "q\"t", ""};
    static final String[] ACTIONS = {"read", "write", "admin", "delete"};
    static final String[] ATTRS = {"a", "b", "level", "name", "tags", "owner", "nested", "ip", "when", "score", "start", "dur", "flag"};
    static final String[] TAG_NAMES = {"t1", "t2", "color", "level"};
    static final String[] STRINGS = {"", "a", "abc", "a*c", "x\"y", "été", "read", "team-1", "*", "\\"};
    static final String[] PATTERNS = {"*", "a*", "*c", "a*c", "\\*", "abc", "", "*\\**", "t*-1", "é*"};
    static final String[] DECIMALS = {"0.0", "1.5", "-1.5", "12.3456", "922337203685477.5807", "-922337203685477.5808", "0.0001", "3.14"};
    static final String[] BAD_DECIMALS = {"1", "1.23456", "abc", "-", "1.", ".5", "922337203685477.5808"};
    static final String[] IPS = {"127.0.0.1", "10.0.0.0/8", "10.1.2.3", "192.168.0.1/24", "::1", "ff02::1", "2001:db8::/32", "224.0.0.1", "0.0.0.0/0", "::/0", "255.255.255.255"};
    static final String[] BAD_IPS = {"1.2.3", "256.0.0.1", "::ffff:1.2.3.4", "01.2.3.4", "1.2.3.4/33", "zz::1"};
    static final String[] DATETIMES = {"2024-01-01", "2024-02-29T12:30:00Z", "1969-12-31T23:59:59.999Z", "2024-06-01T08:00:00+0200", "0000-01-01", "9999-12-31T23:59:59-2359", "1970-01-01"};
    static final String[] BAD_DATETIMES = {"2023-02-29", "2024-01-01T24:00:00Z", "2024-1-1", "2024-01-01T00:00:60Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+2400"};
    static final String[] DURATIONS = {"1h", "-30m", "1d2h3m4s5ms", "0ms", "90s", "-1d", "9223372036854775807ms", "106751991167d"};
    static final String[] BAD_DURATIONS = {"", "-", "1m1h", "1.5h", "1x", "106751991168d", "1d1d"};
    static final long[] LONGS = {0, 1, -1, 2, 3, 7, 42, 100, -100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, 4294967296L, 3037000500L};

    private final Random shape;
    private final Random literal;
    private final int maxDepth;
    /** Where scope literals come from: the shape source (a family shares them) or the literal source. */
    private Random scopeSource;

    /** Family members get conditions built to exercise evaluation of similar policies together. */
    private final boolean family;

    CedarGenerator(long shapeSeed, long literalSeed, int maxDepth) {
        this(shapeSeed, literalSeed, maxDepth, false);
    }

    CedarGenerator(long shapeSeed, long literalSeed, int maxDepth, boolean family) {
        this.shape = new Random(shapeSeed);
        this.literal = new Random(literalSeed);
        this.maxDepth = maxDepth;
        this.family = family;
    }

    // ------------------------------------------------------------------ policies

    String policy() {
        StringBuilder b = new StringBuilder();
        if (shape.nextInt(4) == 0) {
            b.append("@approval(\"owner\")\n");
        }
        if (shape.nextInt(5) == 0) {
            b.append("@note\n");
        }
        scopeSource = shape.nextInt(family ? 4 : 2) > 0 ? shape : literal;
        b.append(shape.nextInt(4) == 0 ? "forbid" : "permit").append(" (\n  ");
        b.append(scopeVar("principal")).append(",\n  ").append(actionScope()).append(",\n  ").append(scopeVar("resource")).append("\n)");
        int c = shape.nextInt(20);
        int conditions = c < 7 ? 0 : c < 15 ? 1 : c < 19 ? 2 : 3;
        for (int i = 0; i < conditions; i++) {
            b.append(shape.nextInt(3) == 0 ? " unless { " : " when { ").append(family ? familyBool(0) : bool(0)).append(" }");
        }
        return b.append(";\n").toString();
    }

    private String scopeVar(String var) {
        // family members are mostly broad, so that requests reach them
        return switch (family && shape.nextBoolean() ? 0 : shape.nextInt(6)) {
            case 0, 1 -> var;
            case 2 -> var + " == " + uidLiteral(scopeSource);
            case 3 -> var + " in " + uidLiteral(scopeSource);
            case 4 -> var + " is " + type(scopeSource);
            default -> var + " is " + type(scopeSource) + " in " + uidLiteral(scopeSource);
        };
    }

    private String actionScope() {
        return switch (shape.nextInt(5)) {
            case 0, 1 -> "action";
            case 2 -> "action == " + actionLiteral(scopeSource);
            case 3 -> "action in " + actionLiteral(scopeSource);
            default -> "action in [" + actionLiteral(scopeSource) + ", " + actionLiteral(scopeSource) + "]";
        };
    }

    private String type() {
        return type(literal);
    }

    private static String type(Random r) {
        return TYPES[r.nextInt(TYPES.length)];
    }

    private String uidLiteral() {
        return uidLiteral(literal);
    }

    private static String uidLiteral(Random r) {
        return type(r) + "::" + quote(IDS[r.nextInt(IDS.length)]);
    }

    private String actionLiteral() {
        return actionLiteral(literal);
    }

    private static String actionLiteral(Random r) {
        return "Action::" + quote(ACTIONS[r.nextInt(ACTIONS.length)]);
    }

    private boolean leaf(int depth) {
        return depth >= maxDepth || shape.nextInt(3) == 0;
    }

    /** Mostly well-typed boolean expressions, with a share of ill-typed and failing ones. */
    String bool(int d) {
        if (leaf(d)) {
            return switch (shape.nextInt(8)) {
                case 0 -> literal.nextBoolean() ? "true" : "false";
                case 1 -> access(d) ;
                case 2 -> "context.flag";
                case 3 -> entity(d + 1) + " has " + attr();
                case 4 -> "principal has " + attr() + "." + attr();
                case 5 -> "resource.hasTag(" + quote(TAG_NAMES[literal.nextInt(TAG_NAMES.length)]) + ")";
                case 6 -> "principal in " + uidLiteral();
                default -> "resource has \"" + attr() + "\"";
            };
        }
        int n = d + 1;
        return switch (shape.nextInt(30)) {
            case 0 -> paren(bool(n)) + " && " + paren(bool(n));
            case 1 -> paren(bool(n)) + " || " + paren(bool(n));
            case 2 -> "!" + paren(bool(n));
            case 3 -> "if " + bool(n) + " then " + bool(n) + " else " + bool(n);
            case 4 -> paren(any(n)) + " == " + paren(any(n));
            case 5 -> paren(any(n)) + " != " + paren(any(n));
            case 6 -> paren(longExpr(n)) + " < " + paren(longExpr(n));
            case 7 -> paren(longExpr(n)) + " <= " + paren(longExpr(n));
            case 8 -> paren(longExpr(n)) + " > " + paren(longExpr(n));
            case 9 -> paren(longExpr(n)) + " >= " + paren(longExpr(n));
            case 10 -> paren(entity(n)) + " in " + paren(entity(n));
            case 11 -> paren(entity(n)) + " in [" + entity(n) + ", " + entity(n) + "]";
            case 12 -> paren(entity(n)) + " is " + type() + (shape.nextBoolean() ? " in " + paren(entity(n)) : "");
            case 13 -> paren(string(n)) + " like " + quotePattern(PATTERNS[literal.nextInt(PATTERNS.length)]);
            case 14 -> paren(set(n)) + ".contains(" + any(n) + ")";
            case 15 -> paren(set(n)) + ".containsAll(" + set(n) + ")";
            case 16 -> paren(set(n)) + ".containsAny(" + set(n) + ")";
            case 17 -> paren(set(n)) + ".isEmpty()";
            case 18 -> paren(entity(n)) + ".hasTag(" + string(n) + ")";
            case 19 -> paren(decimal(n)) + "." + pick("lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual") + "(" + decimal(n) + ")";
            case 20 -> paren(ip(n)) + "." + pick("isIpv4", "isIpv6", "isLoopback", "isMulticast") + "()";
            case 21 -> paren(ip(n)) + ".isInRange(" + ip(n) + ")";
            case 22 -> paren(datetime(n)) + " " + pick("<", "<=", ">", ">=", "==") + " " + paren(datetime(n));
            case 23 -> paren(duration(n)) + " " + pick("<", "<=", ">", ">=") + " " + paren(duration(n));
            case 24 -> paren(record(n)) + " has " + attr();
            case 25 -> paren(entity(n)) + ".getTag(" + string(n) + ") == " + paren(any(n));
            case 26 -> paren(any(n)) + " < " + paren(any(n));
            case 27 -> "principal.tags.contains(" + string(n) + ")";
            case 28 -> paren(any(n)) + ".isEmpty()";
            default -> "context.level >= " + longLiteral();
        };
    }

    /**
     * Conditions for a family: boolean structure over guards that are the same in every member
     * (their literals come from the shape source) and comparisons of a shared value with a
     * member's own literal; now and then an arbitrary sub-condition that differs per member.
     */
    String familyBool(int d) {
        if (d >= maxDepth || shape.nextInt(3) == 0) {
            return switch (shape.nextInt(12)) {
                case 0 -> sharedGuard();
                case 1 -> pick("principal.level", "context.level", "resource.level") + " " + pick("<", "<=", ">", ">=") + " " + longLiteral();
                case 2 -> longLiteral() + " " + pick("<", "<=", ">", ">=") + " " + pick("principal.level", "context.level");
                case 3 -> pick("principal.tags", "context.tags", "resource.tags") + ".contains(" + quote(STRINGS[literal.nextInt(STRINGS.length)]) + ")";
                case 4 -> pick("principal", "resource", "context.who", "principal.owner") + " in " + uidLiteral();
                case 5 -> pick("principal.name", "context.name", "resource.name") + " == " + quote(STRINGS[literal.nextInt(STRINGS.length)]);
                case 6 -> quote(STRINGS[literal.nextInt(STRINGS.length)]) + " != " + pick("principal.name", "context.name");
                case 7 -> pick("principal", "context.who", "resource.owner") + " == " + uidLiteral();
                case 8 -> pick("context.level", "principal.level") + " == " + longLiteral();
                case 9 -> "(" + pick("principal.level", "context.level") + " + " + longLiteral() + ") > 3";
                case 10 -> bool(maxDepth);
                default -> sharedGuard();
            };
        }
        int n = d + 1;
        return switch (shape.nextInt(6)) {
            case 0, 1 -> "(" + familyBool(n) + ") && (" + familyBool(n) + ")";
            case 2, 3 -> "(" + familyBool(n) + ") || (" + familyBool(n) + ")";
            case 4 -> "!(" + familyBool(n) + ")";
            default -> "if " + familyBool(n) + " then " + familyBool(n) + " else " + familyBool(n);
        };
    }

    /** A condition identical in every member of a family. */
    private String sharedGuard() {
        return switch (shape.nextInt(8)) {
            case 0 -> "context.flag";
            case 1 -> "principal has level";
            case 2 -> "principal.flag";
            case 3 -> "resource.name == " + quote(STRINGS[shape.nextInt(STRINGS.length)]);
            case 4 -> "principal.missing == 1";
            case 5 -> "context.level > " + (shape.nextInt(10) - 2);
            case 6 -> "principal in " + uidLiteral(shape);
            default -> shape.nextBoolean() ? "true" : "false";
        };
    }

    String longExpr(int d) {
        if (leaf(d)) {
            return switch (shape.nextInt(4)) {
                case 0, 1 -> longLiteral();
                case 2 -> "principal.level";
                default -> "context.level";
            };
        }
        int n = d + 1;
        return switch (shape.nextInt(9)) {
            case 0 -> paren(longExpr(n)) + " + " + paren(longExpr(n));
            case 1 -> paren(longExpr(n)) + " - " + paren(longExpr(n));
            case 2 -> paren(longExpr(n)) + " * " + paren(longExpr(n));
            case 3 -> "-" + paren(longExpr(n));
            case 4 -> paren(duration(n)) + "." + pick("toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays") + "()";
            case 5 -> "if " + bool(n) + " then " + longExpr(n) + " else " + longExpr(n);
            case 6 -> paren(entity(n)) + ".level";
            case 7 -> "resource.getTag(\"level\")";
            default -> longLiteral();
        };
    }

    String string(int d) {
        if (leaf(d)) {
            return shape.nextInt(3) == 0 ? "principal.name" : quote(STRINGS[literal.nextInt(STRINGS.length)]);
        }
        int n = d + 1;
        return switch (shape.nextInt(5)) {
            case 0 -> paren(entity(n)) + ".name";
            case 1 -> "context.name";
            case 2 -> "if " + bool(n) + " then " + string(n) + " else " + string(n);
            case 3 -> "resource.getTag(" + quote(TAG_NAMES[literal.nextInt(TAG_NAMES.length)]) + ")";
            default -> quote(STRINGS[literal.nextInt(STRINGS.length)]);
        };
    }

    String entity(int d) {
        if (leaf(d)) {
            return switch (shape.nextInt(5)) {
                case 0 -> "principal";
                case 1 -> "resource";
                case 2 -> "action";
                case 3 -> actionLiteral();
                default -> uidLiteral();
            };
        }
        int n = d + 1;
        return switch (shape.nextInt(4)) {
            case 0 -> paren(entity(n)) + ".owner";
            case 1 -> "context.who";
            case 2 -> "if " + bool(n) + " then " + entity(n) + " else " + entity(n);
            default -> uidLiteral();
        };
    }

    String set(int d) {
        if (leaf(d)) {
            return switch (shape.nextInt(4)) {
                case 0 -> "principal.tags";
                case 1 -> "context.tags";
                case 2 -> "[]";
                default -> "[" + quote(STRINGS[literal.nextInt(STRINGS.length)]) + ", " + longLiteral() + "]";
            };
        }
        int n = d + 1;
        StringBuilder b = new StringBuilder("[");
        int k = shape.nextInt(4);
        for (int i = 0; i < k; i++) {
            b.append(i == 0 ? "" : ", ").append(any(n));
        }
        return b.append("]").toString();
    }

    String record(int d) {
        if (leaf(d)) {
            return shape.nextBoolean() ? "context" : "context.nested";
        }
        int n = d + 1;
        StringBuilder b = new StringBuilder("{");
        int k = shape.nextInt(4);
        for (int i = 0; i < k; i++) {
            // distinct keys: duplicate keys are a parse error
            b.append(i == 0 ? "" : ", ").append(shape.nextBoolean() ? ATTRS[i] : quote(ATTRS[i + 3])).append(": ").append(any(n));
        }
        return b.append("}").toString();
    }

    String decimal(int d) {
        if (leaf(d)) {
            return shape.nextInt(3) == 0 ? "context.score" : "decimal(" + quote(literal.nextInt(8) == 0
                    ? BAD_DECIMALS[literal.nextInt(BAD_DECIMALS.length)] : DECIMALS[literal.nextInt(DECIMALS.length)]) + ")";
        }
        return shape.nextBoolean() ? "principal.score" : "decimal(" + string(d + 1) + ")";
    }

    String ip(int d) {
        if (leaf(d)) {
            return shape.nextInt(3) == 0 ? "context.ip" : "ip(" + quote(literal.nextInt(8) == 0
                    ? BAD_IPS[literal.nextInt(BAD_IPS.length)] : IPS[literal.nextInt(IPS.length)]) + ")";
        }
        return shape.nextBoolean() ? "principal.ip" : "ip(" + string(d + 1) + ")";
    }

    String datetime(int d) {
        if (leaf(d)) {
            return shape.nextInt(3) == 0 ? "context.start" : "datetime(" + quote(literal.nextInt(8) == 0
                    ? BAD_DATETIMES[literal.nextInt(BAD_DATETIMES.length)] : DATETIMES[literal.nextInt(DATETIMES.length)]) + ")";
        }
        int n = d + 1;
        return switch (shape.nextInt(4)) {
            case 0 -> paren(datetime(n)) + ".offset(" + duration(n) + ")";
            case 1 -> paren(datetime(n)) + ".toDate()";
            case 2 -> "principal.start";
            default -> "datetime(" + string(n) + ")";
        };
    }

    String duration(int d) {
        if (leaf(d)) {
            return shape.nextInt(3) == 0 ? "context.dur" : "duration(" + quote(literal.nextInt(8) == 0
                    ? BAD_DURATIONS[literal.nextInt(BAD_DURATIONS.length)] : DURATIONS[literal.nextInt(DURATIONS.length)]) + ")";
        }
        int n = d + 1;
        return switch (shape.nextInt(3)) {
            case 0 -> paren(datetime(n)) + ".durationSince(" + datetime(n) + ")";
            case 1 -> paren(datetime(n)) + ".toTime()";
            default -> "duration(" + string(n) + ")";
        };
    }

    /** An expression of any type. */
    String any(int d) {
        return switch (shape.nextInt(11)) {
            case 0 -> bool(d);
            case 1, 2 -> longExpr(d);
            case 3 -> string(d);
            case 4 -> entity(d);
            case 5 -> set(d);
            case 6 -> record(d);
            case 7 -> decimal(d);
            case 8 -> ip(d);
            case 9 -> datetime(d);
            default -> access(d);
        };
    }

    /** An attribute read that may or may not exist. */
    private String access(int d) {
        return switch (shape.nextInt(4)) {
            case 0 -> "principal." + attr();
            case 1 -> "resource[" + quote(attr()) + "]";
            case 2 -> "context." + attr();
            default -> "principal.nested." + attr();
        };
    }

    private String attr() {
        return ATTRS[shape.nextInt(ATTRS.length)];
    }

    private String longLiteral() {
        return literal.nextInt(3) == 0 ? Long.toString(LONGS[literal.nextInt(LONGS.length)]) : Integer.toString(literal.nextInt(20) - 5);
    }

    private String pick(String... options) {
        return options[shape.nextInt(options.length)];
    }

    private static String paren(String s) {
        return "(" + s + ")";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** A pattern literal: the stars in the list are wildcards, "\*" stays a literal star. */
    private static String quotePattern(String p) {
        return "\"" + p.replace("\"", "\\\"") + "\"";
    }

    // ------------------------------------------------------------------ data

    /** An entities JSON array over the fixed vocabulary, with a parent relation that has no cycles. */
    String entities() {
        List<String> uids = new ArrayList<>();
        for (String t : TYPES) {
            for (String id : IDS) {
                if (literal.nextInt(5) < 2) {
                    uids.add(uidJson(t, id));
                }
            }
        }
        java.util.Collections.shuffle(uids, literal);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < uids.size(); i++) {
            if (i > 0) {
                b.append(",\n");
            }
            b.append("{\"uid\": ").append(uids.get(i)).append(", \"attrs\": ").append(attrs(2)).append(", \"parents\": [");
            // Parents come later in the shuffled order only, so the hierarchy is acyclic.
            int parents = literal.nextInt(3);
            boolean first = true;
            for (int k = 0; k < parents && i + 1 < uids.size(); k++) {
                b.append(first ? "" : ", ").append(uids.get(i + 1 + literal.nextInt(uids.size() - i - 1)));
                first = false;
            }
            if (literal.nextInt(4) == 0) {
                b.append(first ? "" : ", ").append(uidJson(TYPES[literal.nextInt(TYPES.length)], "missing"));
            }
            b.append("]");
            if (literal.nextBoolean()) {
                b.append(", \"tags\": {");
                int k = literal.nextInt(3);
                for (int t = 0; t < k; t++) {
                    b.append(t == 0 ? "" : ", ").append(quote(TAG_NAMES[t])).append(": ").append(value(1));
                }
                b.append("}");
            }
            b.append("}");
        }
        // the action hierarchy: read and write are in admin; delete is alone
        b.append(uids.isEmpty() ? "" : ",\n");
        b.append("{\"uid\": {\"type\": \"Action\", \"id\": \"read\"}, \"attrs\": {}, \"parents\": [{\"type\": \"Action\", \"id\": \"admin\"}]},\n");
        b.append("{\"uid\": {\"type\": \"Action\", \"id\": \"write\"}, \"attrs\": {}, \"parents\": [{\"type\": \"Action\", \"id\": \"admin\"}]},\n");
        b.append("{\"uid\": {\"type\": \"Action\", \"id\": \"admin\"}, \"attrs\": {}, \"parents\": []}");
        return b.append("]").toString();
    }

    String context() {
        return attrs(2);
    }

    /** A request as {principal, action, resource} JSON uids; some refer to entities that do not exist. */
    String[] request() {
        return new String[] {
            uidJson(TYPES[literal.nextInt(TYPES.length)], literal.nextInt(6) == 0 ? "nobody" : IDS[literal.nextInt(IDS.length)]),
            uidJson("Action", ACTIONS[literal.nextInt(ACTIONS.length)]),
            uidJson(TYPES[literal.nextInt(TYPES.length)], IDS[literal.nextInt(IDS.length)])};
    }

    private String attrs(int depth) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (String a : ATTRS) {
            if (literal.nextInt(5) < 3) {
                continue;
            }
            b.append(first ? "" : ", ").append(quote(a)).append(": ").append(typedValue(a, depth));
            first = false;
        }
        if (literal.nextInt(3) == 0) {
            b.append(first ? "" : ", ").append("\"who\": ").append(entityValue());
        }
        return b.append("}").toString();
    }

    /** Attributes usually hold the type policies expect of them, sometimes something else. */
    private String typedValue(String attr, int depth) {
        if (literal.nextInt(6) == 0) {
            return value(depth);
        }
        return switch (attr) {
            case "level" -> literal.nextInt(4) == 0 ? Long.toString(LONGS[literal.nextInt(LONGS.length)]) : Integer.toString(literal.nextInt(10));
            case "name" -> quote(STRINGS[literal.nextInt(STRINGS.length)]);
            case "tags" -> "[" + quote(STRINGS[literal.nextInt(STRINGS.length)]) + ", " + quote(STRINGS[literal.nextInt(STRINGS.length)]) + "]";
            case "owner" -> entityValue();
            case "nested" -> depth > 0 ? attrs(depth - 1) : "{}";
            case "ip" -> extn("ip", IPS[literal.nextInt(IPS.length)]);
            case "score" -> extn("decimal", DECIMALS[literal.nextInt(DECIMALS.length)]);
            case "start" -> extn("datetime", DATETIMES[literal.nextInt(DATETIMES.length)]);
            case "dur" -> extn("duration", DURATIONS[literal.nextInt(DURATIONS.length)]);
            case "flag" -> Boolean.toString(literal.nextBoolean());
            default -> value(depth);
        };
    }

    private String value(int depth) {
        int k = literal.nextInt(depth > 0 ? 10 : 8);
        return switch (k) {
            case 0 -> Boolean.toString(literal.nextBoolean());
            case 1 -> Long.toString(LONGS[literal.nextInt(LONGS.length)]);
            case 2, 3 -> quote(STRINGS[literal.nextInt(STRINGS.length)]);
            case 4 -> entityValue();
            case 5 -> extn("decimal", DECIMALS[literal.nextInt(DECIMALS.length)]);
            case 6 -> extn("ip", IPS[literal.nextInt(IPS.length)]);
            case 7 -> literal.nextBoolean() ? extn("datetime", DATETIMES[literal.nextInt(DATETIMES.length)]) : extn("duration", DURATIONS[literal.nextInt(DURATIONS.length)]);
            case 8 -> "[" + value(depth - 1) + ", " + value(depth - 1) + "]";
            default -> attrs(depth - 1);
        };
    }

    private String entityValue() {
        return "{\"__entity\": " + uidJson(TYPES[literal.nextInt(TYPES.length)], IDS[literal.nextInt(IDS.length)]) + "}";
    }

    private static String extn(String fn, String arg) {
        return "{\"__extn\": {\"fn\": \"" + fn + "\", \"arg\": " + quote(arg) + "}}";
    }

    static String uidJson(String type, String id) {
        return "{\"type\": " + quote(type) + ", \"id\": " + quote(id) + "}";
    }
}
