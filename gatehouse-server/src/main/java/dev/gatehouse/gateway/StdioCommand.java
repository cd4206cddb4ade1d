package dev.gatehouse.gateway;

import java.util.List;
import java.util.Map;

/**
 * A program the operator lets stdio tool servers run, under the name the API uses: fixed argv, and variables
 * added to the child's minimal environment. From {@code gateway.stdioCommands} in the configuration file only.
 */
public record StdioCommand(List<String> command, Map<String, String> env) {
    public StdioCommand {
        if (command == null || command.isEmpty() || command.stream().anyMatch(a -> a == null || a.isEmpty())) {
            throw new IllegalArgumentException("a stdio command needs a non-empty argv of non-empty strings");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        for (String name : env.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) throw new IllegalArgumentException("environment variable name '" + name + "' is not valid");
        }
    }
}
