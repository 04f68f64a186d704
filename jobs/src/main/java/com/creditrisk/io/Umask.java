package com.creditrisk.io;

import com.creditrisk.config.CreditRiskConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * The umask the outputs follow. Hadoop's file systems apply their own ({@code
 * fs.permissions.umask-mode}, 022 by default), not the process's, so under {@code umask 077} a
 * table would still be world-readable. Java has no umask call: Linux shows it in
 * /proc/self/status; elsewhere a folder made without explicit permissions shows what it strips.
 */
public final class Umask {
  /** Hadoop's setting, read by every FileSystem and FileContext made from the configuration. */
  static final String HADOOP_KEY = "fs.permissions.umask-mode";
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private Umask() {}

  /** output.permissions when set, else the process umask; octal, e.g. "027". */
  public static String effective(CreditRiskConfig conf) {
    return conf.outputPermissions().orElseGet(Umask::ofProcess);
  }

  /** Makes every later write through this Hadoop configuration follow {@code umask}. */
  public static void apply(Configuration hadoopConf, String umask) {
    hadoopConf.set(HADOOP_KEY, umask);
  }

  /**
   * Makes the session's writes under {@code path} follow {@code umask}: its Hadoop configuration,
   * which every later write copies, and the FileSystem of the path. Hadoop caches one FileSystem
   * per scheme and user, holding the configuration it was first made with (often such a copy), and
   * Parquet and the run folders write through that instance, so on a session that already existed
   * (tests, demo) setting the session's configuration alone would not reach it.
   */
  public static void follow(SparkSession spark, String path, String umask) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    apply(hadoopConf, umask);
    try {
      apply(new org.apache.hadoop.fs.Path(path).getFileSystem(hadoopConf).getConf(), umask);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot reach the file system of " + path, e);
    }
  }

  /** The process umask: from /proc on Linux, else probed. */
  static String ofProcess() {
    try {
      if (Files.isReadable(PROC_STATUS)) {
        Optional<String> u = fromProcStatus(Files.readAllLines(PROC_STATUS));
        if (u.isPresent()) {
          return u.get();
        }
      }
    } catch (IOException e) {
      // /proc unreadable (a sandbox): the probe below needs nothing from it.
    }
    return probe(Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** The "Umask:" line of /proc/self/status (Linux 4.7 and later), as three octal digits. */
  static Optional<String> fromProcStatus(List<String> lines) {
    for (String line : lines) {
      if (line.startsWith("Umask:")) {
        return Optional.of(threeDigits(Integer.parseInt(line.substring("Umask:".length()).trim(), 8)));
      }
    }
    return Optional.empty();
  }

  /**
   * A folder made with no explicit permissions gets 777 less the umask; a folder, not a file,
   * since a file starts from 666 and would hide the execute bits of the mask.
   */
  static String probe(Path dir) {
    Path p = dir.resolve(".umask-probe-" + UUID.randomUUID());
    try {
      Files.createDirectory(p);
      try {
        return threeDigits(0777 & ~mode(Files.getPosixFilePermissions(p)));
      } finally {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot probe the umask in " + dir, e);
    } catch (UnsupportedOperationException e) {
      return "022"; // no POSIX permissions to follow (Windows): Hadoop's own default
    }
  }

  /** The octal mode of a permission set, e.g. 0750. */
  public static int mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= 1 << (8 - p.ordinal()); // OWNER_READ is ordinal 0 and bit 0400, OTHERS_EXECUTE 8 and 01
    }
    return m;
  }

  private static String threeDigits(int mask) {
    return String.format("%03o", mask & 0777);
  }
}
