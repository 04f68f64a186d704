package com.creditrisk.io;

import com.creditrisk.errors.Errors;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Checks, before any Spark work, that an output folder ({@code --out}, {@code warehouse.path}) can
 * be written, so a command that cannot keep its results fails at once with exit 2 instead of
 * after the work with exit 1. Only local paths are checked: an HDFS or object-store path needs the
 * session's Hadoop configuration, and its failures still surface at the first write.
 */
public final class OutputFolders {
  private OutputFolders() {}

  /**
   * Exit 2 naming {@code option} and {@code folder} when the folder is a file, is not writable, or
   * does not exist and cannot be created. Creates nothing: a missing folder is made by the write.
   */
  public static void requireWritable(String option, String folder) {
    Path local = localPath(folder);
    if (local == null) {
      return;
    }
    Path p = local.toAbsolutePath().normalize();
    if (Files.exists(p)) {
      if (!Files.isDirectory(p)) {
        throw Errors.unwritableOutput(option, folder, "it is a file, not a folder");
      }
      String why = notWritable(p);
      if (why != null) {
        throw Errors.unwritableOutput(option, folder, "the folder is not writable (" + why + ")");
      }
      return;
    }
    Path parent = p.getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null) {
      throw Errors.unwritableOutput(option, folder, "no parent folder of it exists");
    }
    if (!Files.isDirectory(parent)) {
      throw Errors.unwritableOutput(option, folder, "the folder is missing and cannot be created: " + parent
          + " is a file");
    }
    String why = notWritable(parent);
    if (why != null) {
      throw Errors.unwritableOutput(option, folder, "the folder is missing and cannot be created: " + parent
          + " is not writable (" + why + ")");
    }
  }

  /** The local file-system path of {@code folder}, or null when it names another file system. */
  private static Path localPath(String folder) {
    int colon = folder.indexOf(':');
    int slash = folder.indexOf('/');
    boolean hasScheme = colon > 1 && (slash < 0 || colon < slash);
    if (!hasScheme) {
      return Paths.get(folder);
    }
    URI uri = URI.create(folder);
    return "file".equalsIgnoreCase(uri.getScheme()) ? Paths.get(uri.getPath()) : null;
  }

  /**
   * Why nothing can be created in {@code dir}, or null when something can. Tried with a probe file
   * removed at once: permission bits say nothing for root, nor for read-only or virtual file
   * systems.
   */
  private static String notWritable(Path dir) {
    try {
      Files.delete(Files.createTempFile(dir, ".credit-risk-write-check", ".tmp"));
      return null;
    } catch (IOException | SecurityException e) {
      return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
  }
}
