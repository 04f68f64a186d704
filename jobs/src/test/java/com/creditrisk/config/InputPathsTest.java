package com.creditrisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled defaults name no input: a command that reads inputs stops with exit 2 naming the
 * first required input without a path, before Spark reads anything, and an unset loan_events
 * means no events. Commands that read no inputs do not ask for them.
 */
class InputPathsTest {

  private record Run(int code, String err) {}

  private static Run run(List<String> args) {
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
        args.toArray(new String[0]));
    return new Run(code, err.toString());
  }

  /** The --set pairs of CsvInputs without those of the given tables. */
  private static List<String> inputsWithout(Path dir, String... tables) {
    List<String> sets = new CsvInputs().write(dir);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sets.size(); i += 2) {
      String kv = sets.get(i + 1);
      if (List.of(tables).stream().noneMatch(t -> kv.startsWith("inputs." + t + "."))) {
        out.addAll(List.of(sets.get(i), kv));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1} unset")
  @CsvSource({"build-dataset,score_snapshots", "build-dataset,applications", "build-dataset,loans",
      "build-dataset,repayments", "run,applications"})
  void aRequiredInputWithoutAPathIsExitTwoNamingTheKey(String command, String table, @TempDir Path dir) {
    Path wh = dir.resolve("wh");
    List<String> args = new ArrayList<>(List.of(command, "--as-of", "2025-06-30", "--set", "warehouse.path=" + wh));
    args.addAll(inputsWithout(dir.resolve("in"), table));
    Run r = run(args);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("inputs." + table + ".path"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(wh.toFile().exists(), "nothing is written");
  }

  @Test
  void noInputPathAtAllNamesTheFirstRequiredInput(@TempDir Path dir) {
    Run r = run(List.of("build-dataset", "--as-of", "2025-06-30", "--set", "warehouse.path=" + dir.resolve("wh")));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("inputs.score_snapshots.path"), r.err());
  }

  @Test
  void withoutLoanEventsTheDatasetIsBuiltWithNoEvents(@TempDir Path dir) {
    Path wh = dir.resolve("wh");
    List<String> args = new ArrayList<>(List.of("build-dataset", "--as-of", "2025-06-30",
        "--set", "warehouse.path=" + wh));
    args.addAll(inputsWithout(dir.resolve("in"), "loan_events"));
    Run r = run(args);
    assertEquals(0, r.code(), r.err());
    // L2's charge-off event is gone, and its 151 days past due still make it bad.
    assertEquals(5, TestSpark.get().read().format("delta").load(wh + "/model_dataset").count());
    assertEquals(1, TestSpark.get().read().format("delta").load(wh + "/model_dataset")
        .where("application_id = 'A2' AND status = 'bad'").count());
  }
}
