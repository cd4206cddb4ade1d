package dev.gatehouse.cedar.parser;

import dev.gatehouse.cedar.ast.Location;

/** One lexical token with its source span. */
record Token(Kind kind, String text, Location location, int end) {
    enum Kind {
        IDENT, NUMBER, STRING, SLOT,
        AT, DOT, COMMA, SEMI, COLON, COLON_COLON, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET,
        EQ_EQ, NOT_EQ, LT, LE, GE, GT, OR_OR, AND_AND, PLUS, MINUS, STAR, SLASH, PERCENT, BANG, EQ, QUESTION,
        EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** An identifier token spelled {@code word} (keywords are identifiers to the lexer). */
    boolean isWord(String word) {
        return kind == Kind.IDENT && text.equals(word);
    }

    /** How the token appears in an error message. */
    String describe() {
        return switch (kind) {
            case EOF -> "end of input";
            case STRING -> "string " + (text.length() > 40 ? text.substring(0, 40) + "…\"" : text);
            default -> "`" + text + "`";
        };
    }
}
