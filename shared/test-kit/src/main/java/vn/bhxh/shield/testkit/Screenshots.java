package vn.bhxh.shield.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Screenshots the browser tests take at the steps the user guides show (docs/huong-dan-*.md). Each is kept in the
 * module's {@code target/screenshots/} (a CI artefact) and, when {@code -Dscreenshots.dir=<absolute path>} is
 * given, copied there too: {@code -Dscreenshots.dir=$PWD/docs/img} retakes the guides' pictures.
 */
public final class Screenshots {

    public static final String DIRECTORY_PROPERTY = "screenshots.dir";

    private Screenshots() {
    }

    /** Writes the PNG as {@code <name>.png} and returns where it is in {@code target/screenshots}. */
    public static Path keep(String name, byte[] png) {
        Path kept = write(Path.of("target", "screenshots"), name, png);
        String guides = System.getProperty(DIRECTORY_PROPERTY, "");
        if (!guides.isBlank()) {
            write(Path.of(guides), name, png);
        }
        return kept;
    }

    private static Path write(Path directory, String name, byte[] png) {
        try {
            Files.createDirectories(directory);
            return Files.write(directory.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
