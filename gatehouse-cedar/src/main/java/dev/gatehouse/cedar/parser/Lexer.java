package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Location;
import dev.gatehouse.cedar.parser.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Cedar policy or schema text into tokens. Whitespace is Unicode white space (as in the
 * reference grammar), comments run from {@code //} to the end of the line. Keywords are returned
 * as identifiers; the parsers decide where a word is reserved.
 */
final class Lexer {
    private final String src;
    private final boolean schema;
    private int pos;
    private int line = 1;
    private int lineStart;

    private Lexer(String src, boolean schema) {
        this.src = src;
        this.schema = schema;
    }

    /** Tokens of policy text; the last one is {@link Kind#EOF}. */
    static List<Token> policyTokens(String src) {
        return new Lexer(src, false).run();
    }

    /** Tokens of schema text ({@code ?} is a token of its own there, not a template slot). */
    static List<Token> schemaTokens(String src) {
        return new Lexer(src, true).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>(Math.max(16, src.length() / 4));
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                out.add(new Token(Kind.EOF, "", here(), pos));
                return out;
            }
            out.add(next());
        }
    }

    private Location here() {
        return new Location(pos, line, pos - lineStart + 1);
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (isWhiteSpace(c)) {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n' && src.charAt(pos) != '\r') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    /** Unicode White_Space, which is what the reference lexer's {@code \s} matches. */
    static boolean isWhiteSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }

    private static boolean identStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean identPart(char c) {
        return identStart(c) || (c >= '0' && c <= '9');
    }

    private Token next() {
        Location at = here();
        int start = pos;
        char c = src.charAt(pos);
        if (identStart(c)) {
            while (pos < src.length() && identPart(src.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.IDENT, src.substring(start, pos), at, pos);
        }
        if (c >= '0' && c <= '9') {
            while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
                pos++;
            }
            return new Token(Kind.NUMBER, src.substring(start, pos), at, pos);
        }
        if (c == '"') {
            return string(at);
        }
        if (c == '?') {
            if (!schema && pos + 1 < src.length() && identStart(src.charAt(pos + 1))) {
                pos++;
                while (pos < src.length() && identPart(src.charAt(pos))) {
                    pos++;
                }
                return new Token(Kind.SLOT, src.substring(start, pos), at, pos);
            }
            if (schema) {
                pos++;
                return new Token(Kind.QUESTION, "?", at, pos);
            }
        }
        Kind k = switch (c) {
            case '@' -> Kind.AT;
            case '.' -> Kind.DOT;
            case ',' -> Kind.COMMA;
            case ';' -> Kind.SEMI;
            case ':' -> two(':') ? Kind.COLON_COLON : Kind.COLON;
            case '(' -> Kind.LPAREN;
            case ')' -> Kind.RPAREN;
            case '{' -> Kind.LBRACE;
            case '}' -> Kind.RBRACE;
            case '[' -> Kind.LBRACKET;
            case ']' -> Kind.RBRACKET;
            case '=' -> two('=') ? Kind.EQ_EQ : Kind.EQ;
            case '!' -> two('=') ? Kind.NOT_EQ : Kind.BANG;
            case '<' -> two('=') ? Kind.LE : Kind.LT;
            case '>' -> two('=') ? Kind.GE : Kind.GT;
            case '|' -> two('|') ? Kind.OR_OR : null;
            case '&' -> two('&') ? Kind.AND_AND : null;
            case '+' -> Kind.PLUS;
            case '-' -> Kind.MINUS;
            case '*' -> Kind.STAR;
            case '/' -> Kind.SLASH;
            case '%' -> Kind.PERCENT;
            default -> null;
        };
        if (k == null) {
            int cp = src.codePointAt(pos);
            throw new ParseException(at, "unexpected character `" + new String(Character.toChars(cp)) + "`"
                    + (cp < 0x20 || cp > 0x7e ? " (U+" + String.format("%04X", cp) + ")" : ""));
        }
        pos += (k == Kind.COLON_COLON || k == Kind.EQ_EQ || k == Kind.NOT_EQ || k == Kind.LE || k == Kind.GE
                || k == Kind.OR_OR || k == Kind.AND_AND) ? 2 : 1;
        return new Token(k, src.substring(start, pos), at, pos);
    }

    private boolean two(char second) {
        return pos + 1 < src.length() && src.charAt(pos + 1) == second;
    }

    /**
     * A string literal is {@code "} then any characters except {@code "} and {@code \}, or a
     * backslash followed by any character but a line break, then {@code "}. Escapes are checked
     * later ({@link Unescape}), where their position can be reported.
     */
    private Token string(Location at) {
        int start = pos;
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return new Token(Kind.STRING, src.substring(start, pos), at, pos);
            }
            if (c == '\\') {
                if (pos + 1 >= src.length() || src.charAt(pos + 1) == '\n') {
                    throw new ParseException(at, "unterminated string literal");
                }
                pos += 2;
                continue;
            }
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }
        throw new ParseException(at, "unterminated string literal");
    }
}
