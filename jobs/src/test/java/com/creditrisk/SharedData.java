package com.creditrisk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The real public data sets in {@code shared/data/} (see its README), which sit next to the
 * repository: found by walking up from the working directory, so a fresh clone at the same depth
 * finds them as well.
 */
public final class SharedData {
  private SharedData() {}

  public static Path file(String name) {
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("data").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/" + name + " not found above " + Paths.get("").toAbsolutePath());
  }
}
