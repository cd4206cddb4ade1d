package dev.gatehouse;

import dev.gatehouse.policy.PolicyBundle;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The starter policy pack as packaged in the jar (copied from policies/starter by the build). */
final class StarterPolicies {
    private static final String ROOT = "/policies/starter";

    private StarterPolicies() {}

    static PolicyBundle load() {
        URL url = StarterPolicies.class.getResource(ROOT);
        if (url == null) throw new IllegalStateException("the starter policy pack is missing from the build");
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return read(fs.getPath(ROOT));
            }
            return read(Path.of(uri));
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the starter policy pack", e);
        }
    }

    private static PolicyBundle read(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root, 1)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".cedar") || name.endsWith(".cedarschema")) files.put(name, Files.readString(p));
            }
        }
        return new PolicyBundle(files);
    }
}
