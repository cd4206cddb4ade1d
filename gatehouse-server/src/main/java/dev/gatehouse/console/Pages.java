package dev.gatehouse.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/**
 * The console's jte templates, compiled to classes at build time by the jte Maven plugin
 * ({@code src/main/jte} → {@code dev.gatehouse.console.pages}): no template compiler runs in the server,
 * and HTML output escapes every value by its context (text, attribute) unless a template says otherwise.
 */
final class Pages {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(),
            "dev.gatehouse.console.pages");

    /** Renders {@code template} (e.g. {@code inventory.jte}) with its one parameter, the page's view. */
    String render(String template, Object page) {
        StringOutput out = new StringOutput(16 * 1024);
        engine.render(template, page, out);
        return out.toString();
    }
}
