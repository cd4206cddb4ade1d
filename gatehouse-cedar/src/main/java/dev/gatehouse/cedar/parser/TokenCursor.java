package dev.gatehouse.cedar.parser;

import java.util.List;

/** A position in a lexed token list (ending with {@code EOF}), shared by the policy and the schema parser. */
final class TokenCursor {
    private final List<Token> tokens;
    private int p;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token peek() {
        return tokens.get(p);
    }

    /** The token {@code ahead} places after the current one (never past {@code EOF}). */
    Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(p);
        if (!t.is(Token.Kind.EOF)) {
            p++;
        }
        return t;
    }

    Token expect(Token.Kind kind, String what) {
        Token t = peek();
        if (!t.is(kind)) {
            throw new ParseException(t.location(), "unexpected " + t.describe() + "; expected " + what);
        }
        return next();
    }
}
