package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.cli.CommandLineTest.Run;
import com.creditrisk.io.OutputFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output folder that cannot be written is bad usage (exit 2) found before any Spark work, not
 * exit 1 after it. Every command below is given an input that does not exist: had it read its
 * input first, it would exit 3 (or 2 with another message), so exit 2 naming the output proves the
 * order. No SparkSession is needed.
 */
class UnwritableOutputTest {
  @TempDir Path dir;

  private Path aFile() throws IOException {
    return Files.writeString(dir.resolve("taken"), "keep me", StandardCharsets.UTF_8);
  }

  private void assertRefused(Run r, String option, String path, String why) throws IOException {
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("error: Invalid " + option + " " + path + ": " + why), r.err());
    assertTrue(r.err().contains("nothing was written"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    assertEquals("keep me", Files.readString(dir.resolve("taken"), StandardCharsets.UTF_8));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(dir.resolve("taken")), files.toList(), "nothing else written under " + dir);
    }
  }

  private String missingInput() {
    return dir.resolve("no-such-input.csv").toString();
  }

  @Test
  void validateScoresWithOutAFileExitsTwoNamingIt() throws IOException {
    String out = aFile().toString();
    Run r = CommandLineTest.run("validate", "--scores", missingInput(), "--score-col", "s", "--label-col", "y",
        "--out", out);
    assertRefused(r, "--out", out, "it is a file, not a folder");
  }

  @Test
  void validateScoresWithOutUnderAFileExitsTwoNamingTheParent() throws IOException {
    Path file = aFile();
    String out = file.resolve("metrics").toString();
    Run r = CommandLineTest.run("validate", "--scores", missingInput(), "--score-col", "s", "--label-col", "y",
        "--out", out);
    assertRefused(r, "--out", out, "the folder is missing and cannot be created: " + file + " is a file");
  }

  @Test
  void binWithOutAFileExitsTwo() throws IOException {
    String out = aFile().toString();
    Run r = CommandLineTest.run("bin", "--input", missingInput(), "--label-col", "y", "--out", out);
    assertRefused(r, "--out", out, "it is a file, not a folder");
  }

  /** /proc takes no new files, even from root, for whom permission bits would say "writable". */
  @Test
  void binWithOutInAFolderThatTakesNoFilesExitsTwo() throws IOException {
    aFile();
    String out = "/proc/credit-risk-bins";
    Run r = CommandLineTest.run("bin", "--input", missingInput(), "--label-col", "y", "--out", out);
    assertRefused(r, "--out", out, "the folder is missing and cannot be created: /proc is not writable (");
    assertFalse(Files.exists(Path.of(out)));
  }

  @Test
  void generateWithOutAFileExitsTwo() throws IOException {
    String out = aFile().toString();
    Run r = CommandLineTest.run("generate", "--customers", "100", "--out", out);
    assertRefused(r, "--out", out, "it is a file, not a folder");
  }

  @Test
  void demoWithDataDirAFileExitsTwo() throws IOException {
    String out = aFile().toString();
    Run r = CommandLineTest.run("demo", "--customers", "100", "--data-dir", out,
        "--set", "warehouse.path=" + dir.resolve("wh"));
    assertRefused(r, "--data-dir", out, "it is a file, not a folder");
  }

  @Test
  void everyWarehouseCommandWithWarehousePathAFileExitsTwo() throws IOException {
    String wh = aFile().toString();
    String in = missingInput();
    List<List<String>> commands = List.of(
        List.of("build-dataset", "--as-of", "2025-06-30", "--set", "inputs.applications.path=" + in),
        List.of("train", "--as-of", "2025-06-30"),
        List.of("score", "--as-of", "2025-06-30"),
        List.of("calibrate", "--as-of", "2025-06-30"),
        List.of("validate", "--as-of", "2025-06-30"),
        List.of("run", "--as-of", "2025-06-30"),
        List.of("demo", "--customers", "100", "--data-dir", dir.resolve("demo").toString()));
    for (List<String> c : commands) {
      String[] args = Stream.concat(c.stream(), Stream.of("--set", "warehouse.path=" + wh)).toArray(String[]::new);
      assertRefused(CommandLineTest.run(args), "warehouse.path", wh, "it is a file, not a folder");
    }
  }

  @Test
  void aWritableFolderOrOneThatCanBeCreatedPassesAndIsNotCreated() throws IOException {
    OutputFolders.requireWritable("--out", dir.toString());
    OutputFolders.requireWritable("--out", dir.resolve("a/b/c").toString());
    OutputFolders.requireWritable("--out", "file:" + dir.resolve("a"));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "the check leaves nothing behind");
    }
  }

  @Test
  void aPathOnAnotherFileSystemIsLeftToTheWrite() {
    OutputFolders.requireWritable("--out", "hdfs://namenode:8020/proc/x");
    OutputFolders.requireWritable("warehouse.path", "s3a://bucket/warehouse");
  }
}
