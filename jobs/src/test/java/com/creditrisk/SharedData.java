package com.creditrisk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The real public data sets in {@code shared/data/} (see its README), which sit next to the
 * repository. Looked up, in order: the folder named by {@code CREDIT_RISK_SHARED_DATA}; a
 * {@code shared/data} folder above the working directory (a clone next to the shared folder); the
 * shared folder of this project's machine, {@code /work/shared/data} (CI clones elsewhere).
 */
public final class SharedData {
  private SharedData() {}

  public static Path file(String name) {
    List<Path> tried = new ArrayList<>();
    String env = System.getenv("CREDIT_RISK_SHARED_DATA");
    if (env != null && !env.isBlank()) {
      tried.add(Paths.get(env).resolve(name));
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      tried.add(p.resolve("shared").resolve("data").resolve(name));
    }
    tried.add(Paths.get("/work/shared/data").resolve(name));
    for (Path candidate : tried) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/data/" + name + " not found; tried " + tried
        + " (set CREDIT_RISK_SHARED_DATA to the folder holding it)");
  }
}
