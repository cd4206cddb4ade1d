package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Location;
import dev.gatehouse.cedar.parser.Token.Kind;
import dev.gatehouse.cedar.schema.ActionDefinition;
import dev.gatehouse.cedar.schema.EntityTypeDefinition;
import dev.gatehouse.cedar.schema.Schema;
import dev.gatehouse.cedar.schema.SchemaType;
import dev.gatehouse.cedar.value.EntityType;
import dev.gatehouse.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the Cedar schema language ({@code .cedarschema}): namespaces, entity types (attributes,
 * {@code in}, {@code tags}, {@code enum}), actions ({@code in}, {@code appliesTo}) and common
 * types, then resolves every type name the way Cedar does: an unqualified name inside namespace
 * {@code N} means {@code N::name} if that is declared (common type before entity type), otherwise
 * the name in the empty namespace, where the built-in types ({@code Long}, {@code String},
 * {@code Bool}, {@code decimal}, {@code ipaddr}, {@code datetime}, {@code duration}) also live;
 * {@code __cedar::Long} and friends always mean the built-ins. Annotations are accepted and ignored.
 */
public final class SchemaParser {
    private static final Set<String> EXTENSIONS = Set.of("decimal", "ipaddr", "datetime", "duration");

    private final TokenCursor in;

    // raw declarations, keyed by fully qualified name
    private final Map<String, RawCommon> commons = new LinkedHashMap<>();
    private final Map<String, RawEntity> entities = new LinkedHashMap<>();
    private final List<RawAction> actions = new ArrayList<>();
    private final Map<String, SchemaType> resolvedCommons = new LinkedHashMap<>();
    private final Set<String> resolving = new HashSet<>();
    private final Set<String> actionTypes = new HashSet<>();
    private final Set<EntityUid> actionUids = new HashSet<>();

    private SchemaParser(String text) {
        this.in = new TokenCursor(Lexer.schemaTokens(text));
    }

    /**
     * Parses schema text.
     *
     * @throws ParseException when the text is not a valid schema or names an undeclared type
     */
    public static Schema parse(String text) {
        SchemaParser parser = new SchemaParser(text);
        parser.schema();
        return parser.resolve();
    }

    // ------------------------------------------------------------------ raw syntax

    private sealed interface RawType {
        Location location();
    }

    private record RawPath(String name, boolean qualified, Location location) implements RawType {
    }

    private record RawSet(RawType element, Location location) implements RawType {
    }

    private record RawRecord(Map<String, RawAttr> attributes, Location location) implements RawType {
    }

    private record RawAttr(RawType type, boolean required) {
    }

    private record RawCommon(String namespace, RawType type) {
    }

    private record RawEntity(String namespace, String name, List<RawPath> memberOf, RawRecord attributes, RawType tags,
                             List<String> enumIds) {
    }

    private record RawActionRef(RawPath type, String id, Location location) {
    }

    private record RawAction(String namespace, String id, List<RawActionRef> parents, List<RawPath> principals,
                             List<RawPath> resources, RawType context, Location location) {
    }

    private void schema() {
        while (!in.peek().is(Kind.EOF)) {
            annotations();
            if (in.peek().isWord("namespace")) {
                in.next();
                String ns = path().name();
                in.expect(Kind.LBRACE, "`{` after the namespace name");
                while (!in.peek().is(Kind.RBRACE)) {
                    annotations();
                    declaration(ns);
                }
                in.next();
            } else {
                declaration("");
            }
        }
    }

    private void annotations() {
        while (in.peek().is(Kind.AT)) {
            in.next();
            identifier("an annotation name");
            if (in.peek().is(Kind.LPAREN)) {
                in.next();
                in.expect(Kind.STRING, "a string");
                in.expect(Kind.RPAREN, "`)`");
            }
        }
    }

    private void declaration(String ns) {
        Token t = in.peek();
        if (t.isWord("entity")) {
            in.next();
            entity(ns);
        } else if (t.isWord("action")) {
            in.next();
            action(ns);
        } else if (t.isWord("type")) {
            in.next();
            Token name = identifier("a type name");
            in.expect(Kind.EQ, "`=`");
            RawType type = type();
            in.expect(Kind.SEMI, "`;`");
            String full = qualify(ns, name.text());
            if (commons.putIfAbsent(full, new RawCommon(ns, type)) != null) {
                throw new ParseException(name.location(), "duplicate common type `" + full + "`");
            }
        } else {
            throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected `entity`, `action`, `type` or `namespace`");
        }
    }

    private void entity(String ns) {
        List<Token> names = new ArrayList<>();
        names.add(identifier("an entity type name"));
        while (in.peek().is(Kind.COMMA)) {
            in.next();
            names.add(identifier("an entity type name"));
        }
        List<String> enumIds = new ArrayList<>();
        List<RawPath> memberOf = new ArrayList<>();
        RawRecord attributes = new RawRecord(Map.of(), in.peek().location());
        RawType tags = null;
        if (in.peek().isWord("enum")) {
            in.next();
            in.expect(Kind.LBRACKET, "`[`");
            enumIds.add(string(in.expect(Kind.STRING, "an entity id string")));
            while (in.peek().is(Kind.COMMA)) {
                in.next();
                enumIds.add(string(in.expect(Kind.STRING, "an entity id string")));
            }
            in.expect(Kind.RBRACKET, "`]`");
        } else {
            if (in.peek().isWord("in")) {
                in.next();
                memberOf = entityTypes();
            }
            if (in.peek().is(Kind.EQ)) {
                in.next();
                if (!in.peek().is(Kind.LBRACE)) {
                    throw new ParseException(in.peek().location(), "expected `{` with the attributes after `=`");
                }
            }
            if (in.peek().is(Kind.LBRACE)) {
                attributes = recordType();
            }
            if (in.peek().isWord("tags")) {
                in.next();
                tags = type();
            }
        }
        in.expect(Kind.SEMI, "`;` at the end of the entity declaration");
        for (Token n : names) {
            String full = qualify(ns, n.text());
            if (entities.putIfAbsent(full, new RawEntity(ns, full, memberOf, attributes, tags, enumIds)) != null) {
                throw new ParseException(n.location(), "duplicate entity type `" + full + "`");
            }
        }
    }

    private void action(String ns) {
        List<Token> names = new ArrayList<>();
        names.add(name());
        while (in.peek().is(Kind.COMMA)) {
            in.next();
            names.add(name());
        }
        List<RawActionRef> parents = new ArrayList<>();
        if (in.peek().isWord("in")) {
            in.next();
            if (in.peek().is(Kind.LBRACKET)) {
                in.next();
                parents.add(actionRef());
                while (in.peek().is(Kind.COMMA)) {
                    in.next();
                    parents.add(actionRef());
                }
                in.expect(Kind.RBRACKET, "`]`");
            } else {
                parents.add(actionRef());
            }
        }
        List<RawPath> principals = new ArrayList<>();
        List<RawPath> resources = new ArrayList<>();
        RawType context = null;
        if (in.peek().isWord("appliesTo")) {
            in.next();
            in.expect(Kind.LBRACE, "`{` after appliesTo");
            while (!in.peek().is(Kind.RBRACE)) {
                Token which = identifier("`principal`, `resource` or `context`");
                in.expect(Kind.COLON, "`:`");
                switch (which.text()) {
                    case "principal" -> principals.addAll(entityTypes());
                    case "resource" -> resources.addAll(entityTypes());
                    case "context" -> context = in.peek().is(Kind.LBRACE) ? recordType() : path();
                    default -> throw new ParseException(which.location(), "expected `principal`, `resource` or `context`");
                }
                if (!in.peek().is(Kind.COMMA)) {
                    break;
                }
                in.next();
            }
            in.expect(Kind.RBRACE, "`}` to close appliesTo");
        }
        if (in.peek().isWord("attributes")) {
            in.next();
            in.expect(Kind.LBRACE, "`{`");
            in.expect(Kind.RBRACE, "`}` (action attributes are not supported)");
        }
        in.expect(Kind.SEMI, "`;` at the end of the action declaration");
        for (Token n : names) {
            String id = n.is(Kind.STRING) ? string(n) : n.text();
            actions.add(new RawAction(ns, id, parents, principals, resources, context, n.location()));
        }
    }

    /** An action name: an identifier or a string. */
    private Token name() {
        Token t = in.peek();
        if (t.is(Kind.STRING) || t.is(Kind.IDENT)) {
            return in.next();
        }
        throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected an action name");
    }

    /** {@code "view"}, {@code view}, or {@code Ns::Action::"view"}. */
    private RawActionRef actionRef() {
        Token first = in.peek();
        if (first.is(Kind.STRING)) {
            in.next();
            return new RawActionRef(null, string(first), first.location());
        }
        Token id = identifier("an action name");
        if (!in.peek().is(Kind.COLON_COLON)) {
            return new RawActionRef(null, id.text(), id.location());
        }
        StringBuilder type = new StringBuilder(id.text());
        while (in.peek().is(Kind.COLON_COLON)) {
            in.next();
            if (in.peek().is(Kind.STRING)) {
                Token s = in.next();
                return new RawActionRef(new RawPath(type.toString(), type.indexOf("::") >= 0, first.location()), string(s), first.location());
            }
            type.append("::").append(identifier("a name").text());
        }
        throw new ParseException(in.peek().location(), "expected `::\"id\"` after the action type `" + type + "`");
    }

    private List<RawPath> entityTypes() {
        List<RawPath> out = new ArrayList<>();
        if (in.peek().is(Kind.LBRACKET)) {
            in.next();
            while (!in.peek().is(Kind.RBRACKET)) {
                out.add(path());
                if (!in.peek().is(Kind.COMMA)) {
                    break;
                }
                in.next();
            }
            in.expect(Kind.RBRACKET, "`]`");
        } else {
            out.add(path());
        }
        return out;
    }

    private RawType type() {
        Token t = in.peek();
        if (t.isWord("Set") && in.peek(1).is(Kind.LT)) {
            in.next();
            in.next();
            RawType element = type();
            in.expect(Kind.GT, "`>` to close `Set<`");
            return new RawSet(element, t.location());
        }
        if (t.is(Kind.LBRACE)) {
            return recordType();
        }
        return path();
    }

    private RawRecord recordType() {
        Token open = in.expect(Kind.LBRACE, "`{`");
        Map<String, RawAttr> attributes = new LinkedHashMap<>();
        while (!in.peek().is(Kind.RBRACE)) {
            annotations();
            Token name = in.peek();
            String attr;
            if (name.is(Kind.STRING)) {
                attr = string(in.next());
            } else {
                attr = identifier("an attribute name").text();
            }
            boolean required = true;
            if (in.peek().is(Kind.QUESTION)) {
                in.next();
                required = false;
            }
            in.expect(Kind.COLON, "`:` after the attribute name");
            RawType type = type();
            if (attributes.putIfAbsent(attr, new RawAttr(type, required)) != null) {
                throw new ParseException(name.location(), "duplicate attribute `" + attr + "`");
            }
            if (!in.peek().is(Kind.COMMA)) {
                break;
            }
            in.next();
        }
        in.expect(Kind.RBRACE, "`,` or `}` in the record type");
        return new RawRecord(attributes, open.location());
    }

    private RawPath path() {
        Token first = identifier("a type name");
        StringBuilder b = new StringBuilder(first.text());
        boolean qualified = false;
        while (in.peek().is(Kind.COLON_COLON)) {
            in.next();
            b.append("::").append(identifier("a name after `::`").text());
            qualified = true;
        }
        return new RawPath(b.toString(), qualified, first.location());
    }

    // ------------------------------------------------------------------ resolution

    private Schema resolve() {
        for (RawAction a : actions) {
            EntityType type = new EntityType(qualify(a.namespace(), "Action"));
            actionTypes.add(type.name());
            actionUids.add(type.uid(a.id()));
        }
        List<EntityTypeDefinition> types = new ArrayList<>();
        for (RawEntity e : entities.values()) {
            Set<EntityType> memberOf = new LinkedHashSet<>();
            for (RawPath m : e.memberOf()) {
                memberOf.add(entityRef(m, e.namespace()));
            }
            Map<String, SchemaType.Attribute> attrs = new LinkedHashMap<>();
            e.attributes().attributes().forEach((k, v) -> attrs.put(k, new SchemaType.Attribute(type(v.type(), e.namespace()), v.required())));
            SchemaType tags = e.tags() == null ? null : type(e.tags(), e.namespace());
            types.add(new EntityTypeDefinition(new EntityType(e.name()), memberOf, attrs, tags, e.enumIds()));
        }
        List<ActionDefinition> defs = new ArrayList<>();
        Set<EntityUid> seen = new HashSet<>();
        for (RawAction a : actions) {
            EntityUid uid = new EntityType(qualify(a.namespace(), "Action")).uid(a.id());
            if (!seen.add(uid)) {
                throw new ParseException(a.location(), "duplicate action " + uid);
            }
            List<EntityUid> parents = new ArrayList<>();
            for (RawActionRef r : a.parents()) {
                parents.add(actionRef(r, a.namespace()));
            }
            Set<EntityType> principals = new LinkedHashSet<>();
            a.principals().forEach(t -> principals.add(entityRef(t, a.namespace())));
            Set<EntityType> resources = new LinkedHashSet<>();
            a.resources().forEach(t -> resources.add(entityRef(t, a.namespace())));
            SchemaType.RecordType context;
            if (a.context() == null) {
                context = new SchemaType.RecordType(Map.of());
            } else {
                SchemaType c = type(a.context(), a.namespace());
                if (!(c instanceof SchemaType.RecordType r)) {
                    throw new ParseException(a.context().location(), "the context of an action must be a record type");
                }
                context = r;
            }
            defs.add(new ActionDefinition(uid, parents, principals, resources, context));
        }
        return Schema.of(types, defs);
    }

    private EntityUid actionRef(RawActionRef r, String ns) {
        if (r.type() == null) {
            return new EntityType(qualify(ns, "Action")).uid(r.id());
        }
        List<String> candidates = candidates(r.type(), ns);
        for (String c : candidates) {
            if (actionUids.contains(new EntityType(c).uid(r.id()))) {
                return new EntityType(c).uid(r.id());
            }
        }
        for (String c : candidates) {
            if (actionTypes.contains(c)) {
                return new EntityType(c).uid(r.id());
            }
        }
        return new EntityType(candidates.get(0)).uid(r.id());
    }

    private static List<String> candidates(RawPath path, String ns) {
        if (path.qualified() || ns.isEmpty()) {
            return List.of(path.name());
        }
        return List.of(ns + "::" + path.name(), path.name());
    }

    private EntityType entityRef(RawPath path, String ns) {
        for (String c : candidates(path, ns)) {
            if (entities.containsKey(c) || actionTypes.contains(c)) {
                return new EntityType(c);
            }
        }
        throw new ParseException(path.location(), "undeclared entity type `" + path.name() + "`");
    }

    private SchemaType type(RawType raw, String ns) {
        if (raw instanceof RawSet s) {
            return new SchemaType.SetType(type(s.element(), ns));
        }
        if (raw instanceof RawRecord r) {
            Map<String, SchemaType.Attribute> attrs = new LinkedHashMap<>();
            r.attributes().forEach((k, v) -> attrs.put(k, new SchemaType.Attribute(type(v.type(), ns), v.required())));
            return new SchemaType.RecordType(attrs);
        }
        RawPath path = (RawPath) raw;
        if (path.name().startsWith("__cedar::")) {
            SchemaType builtin = builtin(path.name().substring("__cedar::".length()));
            if (builtin == null) {
                throw new ParseException(path.location(), "`" + path.name() + "` is not a built-in type");
            }
            return builtin;
        }
        for (String c : candidates(path, ns)) {
            if (commons.containsKey(c)) {
                return common(c, path.location());
            }
            if (entities.containsKey(c) || actionTypes.contains(c)) {
                return new SchemaType.EntityRef(new EntityType(c));
            }
            if (!c.contains("::")) {
                SchemaType builtin = builtin(c);
                if (builtin != null) {
                    return builtin;
                }
            }
        }
        throw new ParseException(path.location(), "undeclared type `" + path.name() + "`");
    }

    private SchemaType common(String name, Location at) {
        SchemaType done = resolvedCommons.get(name);
        if (done != null) {
            return done;
        }
        if (!resolving.add(name)) {
            throw new ParseException(at, "common type `" + name + "` refers to itself");
        }
        RawCommon c = commons.get(name);
        SchemaType t = type(c.type(), c.namespace());
        resolving.remove(name);
        resolvedCommons.put(name, t);
        return t;
    }

    private static SchemaType builtin(String name) {
        return switch (name) {
            case "Long" -> new SchemaType.LongType();
            case "String" -> new SchemaType.StringType();
            case "Bool" -> new SchemaType.BoolType();
            default -> EXTENSIONS.contains(name) ? new SchemaType.ExtensionType(name) : null;
        };
    }

    private static String qualify(String ns, String name) {
        return ns.isEmpty() ? name : ns + "::" + name;
    }

    // ------------------------------------------------------------------ tokens


    private Token identifier(String what) {
        return in.expect(Kind.IDENT, what);
    }

    private static String string(Token t) {
        return Unescape.string(t.text().substring(1, t.text().length() - 1), t.location());
    }
}
