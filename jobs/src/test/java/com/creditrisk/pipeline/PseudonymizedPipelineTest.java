package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.GeneratedWarehouse;
import com.creditrisk.LogCapture;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * privacy.pseudonymize through every stage: build-dataset, train, score, calibrate and validate,
 * each as its command, on 2,000 generated customers. No file any of them writes (Delta data of
 * every version decoded, model files, run folders, reports, model cards, SQL, CSV), nothing they
 * print and nothing they log holds an identifier of the inputs or the key. Generated ids have one
 * shape (C and 7 digits, A or L and 9), so every text is searched for that shape and each match
 * looked up among the inputs' ids; the same search over the inputs themselves must find them.
 */
class PseudonymizedPipelineTest {
  private static final String AS_OF = "2025-12-31";
  private static final String KEY = "pipeline-key-Ω-2718";
  private static final Pattern ID = Pattern.compile("C\\d{7}|[AL]\\d{9}");
  private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> STAGES = List.of("build-dataset", "train", "score", "calibrate", "validate");

  @TempDir static Path dir;
  static SparkSession spark;
  static final Set<String> rawIds = new HashSet<>();
  static final Map<String, Integer> exits = new LinkedHashMap<>();
  /** What every stage printed on standard output and error. */
  static final StringBuilder printed = new StringBuilder();
  /** What the stages logged at the levels the log configuration lets through. */
  static String logged;

  @BeforeAll
  static void runEveryStagePseudonymized() throws Exception {
    spark = TestSpark.get();
    List<String> sets = new ArrayList<>(GeneratedWarehouse.generate(dir, 2000));
    Path key = dir.resolve("privacy.key");
    Files.writeString(key, KEY + "\n", StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    sets.addAll(List.of("privacy.pseudonymize=true", "privacy.key_file=" + key));
    for (String table : List.of("applications", "loans", "repayments", "score_snapshots", "loan_events")) {
      Dataset<Row> t = spark.read().format("delta").load(dir.resolve("data").resolve(table).toString());
      for (String c : List.of("customer_id", "application_id", "loan_id")) {
        if (List.of(t.columns()).contains(c)) {
          rawIds.addAll(t.select(col(c)).where(col(c).isNotNull()).distinct().as(Encoders.STRING()).collectAsList());
        }
      }
    }

    logged = LogCapture.during(() -> {
      for (String stage : STAGES) {
        List<String> a = new ArrayList<>(List.of(stage, "--as-of", AS_OF));
        sets.forEach(s -> a.addAll(List.of("--set", s)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        exits.put(stage, CreditRisk.execute(new PrintWriter(out, true), new PrintWriter(err, true),
            a.toArray(new String[0])));
        printed.append(out).append('\n').append(err).append('\n');
      }
    });
  }

  @Test
  void everyStageRunsOnTheTokens() {
    assertEquals(Map.of("build-dataset", 0, "train", 0, "score", 0, "calibrate", 0, "validate", 0), exits,
        printed.toString());
    assertTrue(rawIds.size() > 4000 && rawIds.stream().allMatch(id -> ID.matcher(id).matches()),
        "every input id has the searched shape");
    Path wh = dir.resolve("wh");
    for (String table : List.of("model_dataset", "scored_applications")) {
      Dataset<Row> t = spark.read().format("delta").load(wh.resolve(table).toString());
      List<String> ids = t.select("application_id").distinct().as(Encoders.STRING()).collectAsList();
      assertTrue(ids.size() > 1000, table);
      assertTrue(ids.stream().allMatch(id -> TOKEN.matcher(id).matches()), table + " holds tokens");
    }
    assertTrue(logged.contains("com.creditrisk"), "the stages' log was captured");
  }

  @Test
  void noFileWrittenByAnyStageHoldsARawIdentifierOrTheKey() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(Set.of("data", "privacy.key", "wh"), s.map(p -> p.getFileName().toString()).collect(
          Collectors.toSet()), "the stages write under the warehouse only");
    }
    assertEquals(Map.of(), leaks(dir.resolve("wh")));
  }

  @Test
  void nothingPrintedOrLoggedHoldsARawIdentifierOrTheKey() {
    List<String> found = new ArrayList<>(leaks(printed.toString()));
    found.addAll(leaks(logged));
    assertEquals(List.of(), found);
  }

  @Test
  void theSearchFindsTheIdentifiersOfTheInputs() throws Exception {
    // The same search over the generated inputs (Delta tables): it would see an id in a written file.
    Map<String, List<String>> found = leaks(dir.resolve("data"));
    assertTrue(found.keySet().stream().anyMatch(f -> f.startsWith("applications/") && f.endsWith(".parquet")),
        found.keySet().toString());
    assertTrue(found.values().stream().mapToLong(List::size).sum() > 1000, found.keySet().toString());
  }

  /** The raw ids and the key in the text, each as found. */
  static List<String> leaks(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = ID.matcher(text);
    while (m.find()) {
      if (rawIds.contains(m.group())) {
        found.add(m.group());
      }
    }
    if (text.contains(KEY)) {
      found.add("the key");
    }
    return List.copyOf(found);
  }

  /**
   * Per file under the folder (its path relative to it), the raw ids and the key it holds. Parquet
   * files are read row by row as JSON, every column nested ones included, one Spark read per
   * folder; every version's files are read, not only those of a table's current version. Every
   * other file is read as UTF-8 text, and every path is searched as well.
   */
  static Map<String, List<String>> leaks(Path root) throws IOException {
    Map<String, List<String>> found = new TreeMap<>();
    Map<Path, List<Path>> parquetByFolder = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String name = root.relativize(f).toString();
      List<String> leaked = new ArrayList<>(leaks(name));
      if (name.endsWith(".parquet")) {
        parquetByFolder.computeIfAbsent(f.getParent(), p -> new ArrayList<>()).add(f);
      } else {
        leaked.addAll(leaks(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)));
      }
      if (!leaked.isEmpty()) {
        found.put(name, leaked);
      }
    }
    for (Map.Entry<Path, List<Path>> e : parquetByFolder.entrySet()) {
      String[] paths = e.getValue().stream().map(Path::toString).toArray(String[]::new);
      List<String> rows = spark.read().option("mergeSchema", "true").parquet(paths).toJSON().collectAsList();
      List<String> leaked = leaks(String.join("\n", rows));
      if (!leaked.isEmpty()) {
        found.put(root.relativize(e.getKey()) + "/*.parquet", leaked);
      }
    }
    return found;
  }
}
