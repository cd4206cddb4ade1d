package dev.gatehouse.gateway;

import java.util.Set;

/** Method names of the MCP specification (2025-03-26 … 2025-11-25) the gateway has a rule for. */
final class McpMethod {
    private McpMethod() {}

    // client → server requests
    static final String INITIALIZE = "initialize";
    static final String PING = "ping";
    static final String TOOLS_LIST = "tools/list";
    static final String TOOLS_CALL = "tools/call";
    static final String RESOURCES_LIST = "resources/list";
    static final String RESOURCES_TEMPLATES_LIST = "resources/templates/list";
    static final String RESOURCES_READ = "resources/read";
    static final String RESOURCES_SUBSCRIBE = "resources/subscribe";
    static final String RESOURCES_UNSUBSCRIBE = "resources/unsubscribe";
    static final String PROMPTS_LIST = "prompts/list";
    static final String PROMPTS_GET = "prompts/get";
    static final String COMPLETION_COMPLETE = "completion/complete";
    static final String LOGGING_SET_LEVEL = "logging/setLevel";

    // client → server notifications
    static final String INITIALIZED = "notifications/initialized";
    static final String CANCELLED = "notifications/cancelled";
    static final String ROOTS_LIST_CHANGED = "notifications/roots/list_changed";

    // server → client notifications the gateway relays
    static final String RESOURCE_UPDATED = "notifications/resources/updated";
    static final Set<String> RELAYED_NOTIFICATIONS = Set.of("notifications/progress", "notifications/message",
            "notifications/cancelled", "notifications/tools/list_changed", "notifications/resources/list_changed",
            "notifications/prompts/list_changed");

    /** Listings: forwarded, then filtered to what the task may use. */
    static final Set<String> LISTINGS = Set.of(TOOLS_LIST, RESOURCES_LIST, RESOURCES_TEMPLATES_LIST, PROMPTS_LIST);

    /** Governed actions: a decision on a governed object (tool, resource, prompt) for every hop, inspection both ways. */
    static final Set<String> GOVERNED = Set.of(TOOLS_CALL, RESOURCES_READ, RESOURCES_SUBSCRIBE, PROMPTS_GET, COMPLETION_COMPLETE);

    /** The RFC 5424 severities {@code logging/setLevel} takes. */
    static final Set<String> LOG_LEVELS = Set.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");
}
