package com.creditrisk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.config.CreditRiskConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The command line's usage contract: help, version, exit code 2 for bad usage and config. No Spark needed. */
class CommandLineTest {

  /** One run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  static Stream<String> subcommands() {
    return new CommandLine(new CreditRisk()).getSubcommands().keySet().stream().filter(n -> !n.equals("help"));
  }

  private static void assertMentionsEveryOption(CommandLine cmd, String help) {
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      assertTrue(help.contains(o.longestName()), o.longestName() + " not in help of "
          + cmd.getCommandName() + ":\n" + help);
    }
  }

  @Test
  void topLevelHelpExitsZeroAndListsOptionsAndCommands() {
    Run r = run("--help");
    assertEquals(0, r.code(), r.err());
    assertMentionsEveryOption(new CommandLine(new CreditRisk()), r.out());
    subcommands().forEach(name -> assertTrue(r.out().contains(name), name + " not in:\n" + r.out()));
    assertTrue(r.out().contains("Exit codes"), r.out());
  }

  /**
   * Every command's and subcommand's usage renders with no picocli warning. picocli formats each
   * description line as a format string and, when a line does not format (an unescaped %), prints
   * "[picocli WARN] Could not format" to the System.err of the moment its tracer is made, not to
   * the command's err writer: both are captured.
   */
  @Test
  void everyUsageRendersWithoutAPicocliWarning() {
    PrintStream console = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<String> rendered = new ArrayList<>();
    StringBuilder writers = new StringBuilder();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      Run top = run("--help");
      writers.append(top.err());
      rendered.add("credit-risk");
      collectUsages(new CommandLine(new CreditRisk()), rendered);
      subcommands().forEach(name -> {
        Run r = run(name, "--help");
        writers.append(r.err());
        Run viaHelp = run("help", name);
        writers.append(viaHelp.err());
      });
    } finally {
      System.setErr(console);
    }
    String stderr = captured.toString(StandardCharsets.UTF_8) + writers;
    assertFalse(stderr.contains("picocli WARN"), stderr);
    assertTrue(stderr.isEmpty(), stderr);
    assertTrue(rendered.size() > subcommands().count(), rendered.toString());
  }

  // Renders the usage of a command and, recursively, of each of its subcommands.
  private static void collectUsages(CommandLine cmd, List<String> rendered) {
    cmd.getUsageMessage();
    rendered.add(cmd.getCommandSpec().qualifiedName());
    cmd.getSubcommands().values().forEach(sub -> collectUsages(sub, rendered));
  }

  @Test
  void theValidateHelpShowsItsPercentSignLiterally() {
    Run r = run("validate", "--help");
    assertTrue(r.out().contains("95% interval"), r.out());
    assertFalse(r.out().contains("95%% interval"), r.out());
  }

  @Test
  void theBuildDatasetCommandExists() {
    assertTrue(subcommands().anyMatch("build-dataset"::equals));
  }

  @ParameterizedTest(name = "{0} --help")
  @MethodSource("subcommands")
  void everyCommandsHelpExitsZeroAndMentionsEachOfItsOptions(String name) {
    Run r = run(name, "--help");
    assertEquals(0, r.code(), r.err());
    CommandLine sub = new CommandLine(new CreditRisk()).getSubcommands().get(name);
    assertMentionsEveryOption(sub, r.out());
    assertTrue(r.out().contains("--conf"), r.out());
    assertTrue(r.out().contains("--set"), r.out());
    assertTrue(r.out().contains("Exit codes"), r.out());
  }

  @Test
  void buildDatasetHelpNamesAsOfConfAndSet() {
    Run r = run("build-dataset", "--help");
    assertEquals(0, r.code());
    for (String o : List.of("--as-of", "--conf", "--set", "--help", "--version")) {
      assertTrue(r.out().contains(o), o + " not in:\n" + r.out());
    }
  }

  @Test
  void helpSubcommandPrintsACommandsHelp() {
    Run r = run("help", "build-dataset");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("--as-of"), r.out());
  }

  @Test
  void versionExitsZeroAndPrintsTheVersion() {
    Run r = run("--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("credit-risk "), r.out());
  }

  @Test
  void noCommandExitsTwo() {
    Run r = run();
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Missing COMMAND"), r.err());
  }

  @Test
  void anUnknownCommandExitsTwo() {
    Run r = run("build-everything");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("build-everything"), r.err());
  }

  @Test
  void anUnknownOptionExitsTwo() {
    Run r = run("build-dataset", "--as-of", "2025-06-30", "--as-off", "x");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--as-off"), r.err());
  }

  @Test
  void aMissingAsOfExitsTwo() {
    Run r = run("build-dataset");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--as-of"), r.err());
  }

  @Test
  void aBadAsOfDateExitsTwo() {
    for (String bad : List.of("2025-13-01", "30.06.2025", "yesterday")) {
      Run r = run("build-dataset", "--as-of", bad);
      assertEquals(2, r.code(), bad + ": " + r.err());
      assertTrue(r.err().contains("--as-of") && r.err().contains(bad), r.err());
      assertFalse(r.err().contains("Exception"), "a usage error is not a stack trace:\n" + r.err());
    }
  }

  @Test
  void anUnknownSetKeyExitsTwoNamingTheKey(@TempDir Path dir) {
    Run r = run("build-dataset", "--as-of", "2025-06-30", "--set", "label.bad_dpdd=3",
        "--set", "warehouse.path=" + dir.resolve("wh"));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("label.bad_dpdd"), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
    assertFalse(dir.resolve("wh").toFile().exists());
  }

  @Test
  void aBadConfigValueExitsTwoNamingTheKey() {
    Run r = run("build-dataset", "--as-of", "2025-06-30", "--set", "split.test_fraction=1.5");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("split.test_fraction"), r.err());
  }

  @Test
  void aSetWithoutEqualsExitsTwo() {
    Run r = run("build-dataset", "--as-of", "2025-06-30", "--set", "label.bad_dpd");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("key=value"), r.err());
  }

  @Test
  void aMissingConfFileExitsTwo(@TempDir Path dir) {
    Run r = run("build-dataset", "--as-of", "2025-06-30", "--conf", dir.resolve("missing.conf").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("missing.conf"), r.err());
  }

  /**
   * Every generator option out of its range exits 2 naming the option as typed, before any Spark
   * session, data folder or warehouse exists (demo fixes the extract date and the history).
   */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "demo     | --customers      | 0          | must be at least 1",
      "demo     | --customers      | -3         | must be at least 1",
      "generate | --customers      | 0          | must be at least 1",
      "generate | --customers      | -3         | must be at least 1",
      "generate | --history-months | 5          | must be between 6 and 120",
      "generate | --history-months | 121        | must be between 6 and 120",
      "generate | --extract-date   | 0001-06-30 | must be between 1900-01-01 and 2999-12-31",
      "generate | --extract-date   | 9999-12-31 | must be between 1900-01-01 and 2999-12-31"})
  void aGeneratorOptionOutOfRangeExitsTwoNamingItBeforeWritingAnything(String command, String option,
      String value, String rule, @TempDir Path dir) {
    Path data = dir.resolve("data");
    String dirOption = command.equals("demo") ? "--data-dir" : "--out";
    Run r = run(command, option, value, dirOption, data.toString(), "--set", "warehouse.path=" + dir.resolve("wh"));
    assertEquals(2, r.code(), r.err());
    assertEquals("error: Invalid " + option + " " + value + ": " + rule + System.lineSeparator(), r.err());
    assertTrue(r.out().isEmpty(), r.out());
    assertFalse(data.toFile().exists());
    assertFalse(dir.resolve("wh").toFile().exists());
  }

  /** Values picocli cannot convert exit 2 from the parser, which names the option. */
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({"generate, --extract-date, 2025-13-01", "generate, --history-months, six", "generate, --seed, x",
      "demo, --seed, x", "demo, --customers, many"})
  void aGeneratorOptionThatDoesNotParseExitsTwoNamingIt(String command, String option, String value) {
    Run r = run(command, option, value);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("Invalid value for option '" + option + "'"), r.err());
  }

  @Test
  void theDemoReadsItsOwnDataDirWhateverTheConfigSaysAndKeepsItsRunId() {
    CreditRiskConfig plain = DemoCommand.demoConfig(CreditRiskConfig.load(List.of(), List.of()), "demo-data");
    List<String> elsewhere = Stream.of("score_snapshots", "applications", "loans", "repayments", "loan_events")
        .flatMap(t -> Stream.of("inputs." + t + ".path=/lender/" + t, "inputs." + t + ".format=parquet"))
        .toList();
    CreditRiskConfig overridden = DemoCommand.demoConfig(CreditRiskConfig.load(List.of(), elsewhere), "demo-data");
    // b90211f0 is the demo's RUN_ID hash since it declares its three feature sources (8ec39fd0 before):
    // the same demo must keep writing to the same run folder (docs/pipeline.md shows its output).
    assertEquals("b90211f0", plain.fingerprint());
    assertEquals(plain.fingerprint(), overridden.fingerprint());
  }

  @Test
  void theDemoRetrainsEvery180DaysUnlessSetOtherwiseAndKeepsItsRunId() {
    ConfigOptions none = new ConfigOptions();
    ConfigOptions set = new ConfigOptions();
    set.overrides.add("run.retrain_every_days=28");
    assertEquals(28, CreditRiskConfig.load(List.of(), List.of()).retrainEveryDays(), "run's own default");
    assertEquals(180, DemoCommand.demoConfig(none, "demo-data").retrainEveryDays());
    assertEquals(28, DemoCommand.demoConfig(set, "demo-data").retrainEveryDays(), "a --set wins");
    assertEquals("b90211f0", DemoCommand.demoConfig(none, "demo-data").fingerprint(),
        "when to train is not part of the RUN_ID");
    assertEquals(180, CreditRiskConfig.load(List.of(new java.io.File("../conf/demo.conf")), List.of())
        .retrainEveryDays(), "conf/demo.conf runs single stages and run on the demo's schedule");
  }

  @Test
  void theDemoRunsAtTheLastDayOfEachOfTheSixMonthsEndingWithTheExtractDate() {
    assertEquals(List.of(LocalDate.of(2025, 7, 31), LocalDate.of(2025, 8, 31), LocalDate.of(2025, 9, 30),
        LocalDate.of(2025, 10, 31), LocalDate.of(2025, 11, 30), LocalDate.of(2025, 12, 31)),
        DemoCommand.asOfDates(LocalDate.of(2025, 12, 31)));
    // An extract date inside a month: the earlier dates are still month ends.
    assertEquals(List.of(LocalDate.of(2024, 9, 30), LocalDate.of(2024, 10, 31), LocalDate.of(2024, 11, 30),
        LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 31), LocalDate.of(2025, 2, 14)),
        DemoCommand.asOfDates(LocalDate.of(2025, 2, 14)));
  }

  @Test
  void outputGoesToTheGivenWritersNotTheConsole() {
    Run help = run("--help");
    assertFalse(help.out().isEmpty());
    assertTrue(help.err().isEmpty(), help.err());
    Run bad = run("nope");
    assertFalse(bad.err().isEmpty());
    assertTrue(bad.out().isEmpty(), bad.out());
  }
}
