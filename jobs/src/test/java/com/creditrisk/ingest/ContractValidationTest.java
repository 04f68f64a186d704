package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.CsvInputs;
import com.creditrisk.TestSpark;
import com.creditrisk.cli.CreditRisk;
import com.creditrisk.contract.ColumnSpec;
import com.creditrisk.contract.InputTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * build-dataset against the input contract (DESIGN.md, "Inputs"): each test breaks one rule of the
 * valid {@link CsvInputs} and expects exit 3, a message naming table, column and rule, and nothing
 * written under warehouse.path.
 */
class ContractValidationTest {
  static final String AS_OF = "2025-06-30";
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  /** One run: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CreditRisk.execute(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(new String[0]));
    return new Run(code, out.toString(), err.toString());
  }

  static List<String> args(Path dir, String asOf, List<String> inputArgs, String... extra) {
    List<String> a = new ArrayList<>(List.of("build-dataset", "--as-of", asOf,
        "--set", "warehouse.path=" + dir.resolve("wh").toAbsolutePath()));
    a.addAll(inputArgs);
    a.addAll(List.of(extra));
    return a;
  }

  static Run buildDataset(Path dir, CsvInputs inputs, String asOf, String... extra) {
    return run(args(dir, asOf, inputs.write(dir.resolve("in")), extra));
  }

  static void assertNothingWritten(Path dir) {
    assertFalse(Files.exists(dir.resolve("wh")), "nothing may be written under warehouse.path: "
        + dir.resolve("wh"));
  }

  /** Exit 3, every expected fragment in the one error message, nothing written. */
  static String assertRejected(Path dir, Run r, String... expected) {
    assertEquals(3, r.code(), "exit code; stderr:\n" + r.err());
    for (String e : expected) {
      assertTrue(r.err().contains(e), "expected '" + e + "' in:\n" + r.err());
    }
    assertTrue(r.err().contains("break the input contract"), r.err());
    assertFalse(r.err().contains("Exception"), "a data error is a message, not a stack trace:\n" + r.err());
    assertNothingWritten(dir);
    return r.err();
  }

  static Arguments rule(String name, Consumer<CsvInputs> breakIt, String... expected) {
    return Arguments.of(name, breakIt, expected);
  }

  static Stream<Arguments> brokenRules() {
    return Stream.of(
        // missing column
        rule("missing column in loans", in -> in.set("loans", 0,
                "loan_id,application_id,disbursed_date,principal,rate,term_months"),
            "loans.annual_rate: missing column", "inputs.loans.columns.annual_rate"),
        rule("missing column in repayments", in -> in.tables.put("repayments", new ArrayList<>(List.of(
                "loan_id,installment_no,due_date,amount_due,paid_date",
                "L1,1,2025-01-01,100.0,2025-01-01"))),
            "repayments.amount_paid: missing column"),
        // cells that do not parse
        rule("bad timestamp in score_time", in -> in.set("score_snapshots", 1, "C1,20-11-2024 10:00:00,650,bureau"),
            "score_snapshots.score_time: value does not parse as timestamp", "C1"),
        rule("non-numeric score", in -> in.set("score_snapshots", 1, "C1,2024-11-20 10:00:00,high,bureau"),
            "score_snapshots.score: value does not parse as int", "(1 row"),
        rule("fractional score", in -> in.set("score_snapshots", 1, "C1,2024-11-20 10:00:00,650.5,bureau"),
            "score_snapshots.score: value does not parse as int"),
        rule("bad date in due_date", in -> in.set("repayments", 1, "L1,1,01/01/2025,100.0,100.0,2025-01-01"),
            "repayments.due_date: value does not parse as date", "L1#1"),
        rule("impossible date in due_date", in -> in.set("repayments", 1, "L1,1,2025-02-30,100.0,100.0,2025-01-01"),
            "repayments.due_date: value does not parse as date"),
        rule("non-numeric amount_due", in -> in.set("repayments", 1, "L1,1,2025-01-01,one hundred,100.0,2025-01-01"),
            "repayments.amount_due: value does not parse as double"),
        rule("bad paid_date (nullable, still must parse)", in -> in.set("repayments", 1,
                "L1,1,2025-01-01,100.0,100.0,soon"),
            "repayments.paid_date: value does not parse as date"),
        // null keys
        rule("null customer_id in score_snapshots", in -> in.set("score_snapshots", 1, ",2024-11-20 10:00:00,650,bureau"),
            "score_snapshots.customer_id: not null"),
        rule("null application_id", in -> in.set("applications", 4,
                ",C1,2025-03-20 08:00:00,paylater,app,200.0,3,approved,,660"),
            "applications.application_id: not null", "<null key>"),
        rule("blank loan_id in loans", in -> in.add("loans", " ,A4,2025-03-20,200.0,0.2,3"),
            "loans.loan_id: not null"),
        rule("null loan_id in repayments", in -> in.set("repayments", 9, ",3,2025-08-01,51.0,0.0,"),
            "repayments.loan_id: not null"),
        // duplicates
        rule("duplicate (customer_id, score_time)", in -> in.add("score_snapshots", "C1,2024-11-20 10:00:00,655,other"),
            "score_snapshots.customer_id, score_time: unique", "(2 rows", "C1@2024-11-20 10:00:00"),
        rule("duplicate application_id", in -> in.add("applications",
                "A1,C5,2025-01-01 12:00:00,paylater,app,100.0,3,rejected,,500"),
            "applications.application_id: unique", "A1"),
        rule("two loans for one application", in -> in.add("loans", "L6,A1,2024-12-01,300.0,0.2,3")
                .add("repayments", "L6,1,2025-01-01,100.0,100.0,2025-01-01"),
            "loans.application_id (one loan per application): unique", "A1"),
        rule("duplicate (loan_id, installment_no)", in -> in.add("repayments", "L1,1,2025-01-02,100.0,100.0,2025-01-02"),
            "repayments.loan_id, installment_no: unique", "L1#1"),
        // Numbers above 63 are beyond the per-loan bit set that proves them distinct: counted exactly.
        // (Installments 4..69 keep the numbers free of gaps, a rule of its own.)
        rule("duplicate (loan_id, installment_no) numbered above 63", in -> installments(in, 4, 69)
                .add("repayments", "L1,70,2025-03-01,0.0,0.0,2025-03-01")
                .add("repayments", "L1,70,2025-03-01,0.0,0.0,2025-03-01"),
            "repayments.loan_id, installment_no: unique", "(2 rows", "L1#70"),
        // ranges
        rule("score above range", in -> in.set("score_snapshots", 1, "C1,2024-11-20 10:00:00,999,bureau"),
            "score_snapshots.score: score within [350, 950]", "score.max"),
        rule("score below range", in -> in.set("score_snapshots", 2, "C2,2024-11-25 09:00:00,100,bureau"),
            "score_snapshots.score: score within [350, 950]", "C2@2024-11-25 09:00:00"),
        rule("requested_amount zero", in -> in.set("applications", 1,
                "A1,C1,2024-12-01 12:00:00,paylater,app,0,3,approved,L1,650"),
            "applications.requested_amount: requested_amount > 0", "A1"),
        rule("term_months zero in applications", in -> in.set("applications", 1,
                "A1,C1,2024-12-01 12:00:00,paylater,app,300.0,0,approved,L1,650"),
            "applications.term_months: term_months > 0"),
        rule("decision not approved or rejected", in -> in.set("applications", 4,
                "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,pending,,660"),
            "applications.decision: decision in (approved, rejected)", "A4"),
        rule("installment_no below 1", in -> in.set("repayments", 1, "L1,0,2025-01-01,100.0,100.0,2025-01-01"),
            "repayments.installment_no: installment_no >= 1", "L1#0"),
        rule("negative amount_due", in -> in.set("repayments", 2, "L1,2,2025-02-01,-100.0,100.0,2025-02-01"),
            "repayments.amount_due: amount_due >= 0", "L1#2"),
        rule("negative amount_paid", in -> in.set("repayments", 4, "L2,1,2025-01-10,340.0,-1.0,"),
            "repayments.amount_paid: amount_paid >= 0", "L2#1"),
        // references
        rule("loan_id on a rejected application", in -> in.set("applications", 3,
                "A3,C3,2024-12-10 13:00:00,cash_loan,web,800.0,6,rejected,L1,520"),
            "applications.loan_id: loan_id set only when approved", "A3"),
        rule("application loan_id of an unknown loan", in -> in.set("applications", 4,
                "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,approved,L404,660"),
            "applications.loan_id: loan_id refers to an unknown loan", "A4"),
        rule("application loan_id of another application's loan", in -> in.set("applications", 4,
                "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,approved,L1,660"),
            "applications.loan_id: loan_id refers to a loan of another application", "A4"),
        rule("loan of an unknown application", in -> in.add("loans", "L6,A404,2025-05-01,150.0,0.2,3")
                .add("repayments", "L6,1,2025-06-01,50.0,50.0,2025-06-01"),
            "loans.application_id: application_id refers to an unknown application", "L6"),
        rule("loan of a rejected application", in -> in.add("loans", "L3,A3,2024-12-10,800.0,0.2,6")
                .add("repayments", "L3,1,2025-01-10,140.0,140.0,2025-01-10"),
            "loans.application_id: application_id refers to an application that was not approved", "L3"),
        rule("repayment of an unknown loan", in -> in.add("repayments", "L404,1,2025-01-01,10.0,0.0,"),
            "repayments.loan_id: loan_id refers to an unknown loan", "L404#1"),
        rule("due_date before disbursed_date", in -> in.set("repayments", 1, "L1,1,2024-11-30,100.0,100.0,2025-01-01"),
            "repayments.due_date: due_date not before the loan's disbursed_date", "L1#1"),
        rule("event of an unknown loan", in -> in.add("loan_events", "L404,2025-06-10,fraud"),
            "loan_events.loan_id: loan_id refers to an unknown loan", "L404"),
        rule("loan without an installment row", in -> in.tables.get("repayments").removeIf(l -> l.startsWith("L5,")),
            "loans.loan_id: has an installment row in repayments (the whole schedule as of the extract) (1 row, e.g. L5)"),
        rule("approved application with an empty loan_id that a loan refers to", in -> in.set("applications", 1,
                "A1,C1,2024-12-01 12:00:00,paylater,app,300.0,3,approved,,650"),
            "loans.application_id: application_id refers to an approved application whose loan_id is empty "
                + "(1 row, e.g. L1 (application A1))"),
        rule("loan disbursed before its application", in -> in.set("loans", 1, "L1,A1,2024-11-30,300.0,0.2,3"),
            "loans.disbursed_date: disbursed_date not before the application's date (1 row, e.g. L1 (application A1))"),
        rule("gap in a loan's installment numbers", in -> in.tables.get("repayments").removeIf(l -> l.startsWith("L1,2,")),
            "repayments.installment_no: installment numbers of a loan run 1..n without gaps (1 loan, e.g. L1)"));
  }

  /** Adds installments {@code from..to} of L1, settled (nothing due), so L1's numbers run without gaps. */
  static CsvInputs installments(CsvInputs in, int from, int to) {
    for (int i = from; i <= to; i++) {
      in.add("repayments", "L1," + i + ",2025-03-01,0.0,0.0,2025-03-01");
    }
    return in;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenRules")
  void aBrokenRuleStopsTheJobWithExit3NamingTableColumnAndRuleAndWritesNothing(String name,
      Consumer<CsvInputs> breakIt, String[] expected, @TempDir Path dir) {
    CsvInputs in = new CsvInputs();
    breakIt.accept(in);
    String msg = assertRejected(dir, buildDataset(dir, in, AS_OF), expected);
    assertTrue(msg.contains("1 problem found"), "exactly the broken rule is reported:\n" + msg);
  }

  @Test
  void aDuplicateLoanIdOfAnApplicationWithoutLoanIdIsReportedWithTheLinkTheTablesDisagreeOn(@TempDir Path dir) {
    // A4 is approved without a loan_id: a second loan L1 pointing at it breaks two rules.
    CsvInputs in = new CsvInputs().add("loans", "L1,A4,2025-03-20,200.0,0.2,3");
    assertRejected(dir, buildDataset(dir, in, AS_OF), "2 problems found", "loans.loan_id: unique", "L1",
        "loans.application_id: application_id refers to an approved application whose loan_id is empty "
            + "(1 row, e.g. L1 (application A4))");
  }

  @Test
  void emptyRepaymentsWithLoansExit3NamingEveryLoan(@TempDir Path dir) {
    // Was exit 0 with every loan indeterminate or immature but the charged-off one: bad rate 100%.
    CsvInputs in = new CsvInputs();
    in.tables.get("repayments").subList(1, in.tables.get("repayments").size()).clear();
    String msg = assertRejected(dir, buildDataset(dir, in, AS_OF), "1 problem found",
        "loans.loan_id: has an installment row in repayments", "(3 rows, e.g. ");
    for (String loan : List.of("L1", "L2", "L5")) {
      assertTrue(msg.contains(loan), loan + " named in:\n" + msg);
    }
  }

  @Test
  void emptyScoreSnapshotsExit3NamingTheApplicationsWithoutAScore(@TempDir Path dir) {
    // Was exit 0 with no score on any application: the product's subject is the score.
    CsvInputs in = new CsvInputs();
    in.tables.get("score_snapshots").subList(1, in.tables.get("score_snapshots").size()).clear();
    assertRejected(dir, buildDataset(dir, in, AS_OF), "1 problem found",
        "score_snapshots.score: at least one application as of the date has a usable score "
            + "(features.max_score_age_days) (5 applications, e.g. A");
  }

  @Test
  void someApplicationsWithoutAScoreGoOnWithTheirShareAndAWarningAboveTheMaximum(@TempDir Path dir) {
    Run r = buildDataset(dir, new CsvInputs(), AS_OF, "--set", "features.max_missing_share=0.1");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("No usable score: 20.00% (no_snapshot 20.00%, stale 0.00%, "
        + "only_after_application 0.00%)"), r.out());
    assertTrue(r.out().contains("Warning: 20.0% of the applications have no usable score (no_snapshot 20.0%, "
        + "stale 0.0%, only_after_application 0.0%), above features.max_missing_share 0.1"), r.out());
  }

  @Test
  void missingColumnsAreReportedTogetherWithRowProblemsOfOtherTables(@TempDir Path dir) {
    // loans lacks annual_rate and snapshots lack score: their other rules, and every other table's,
    // still run; rules that need a missing column are skipped rather than reported on every row.
    CsvInputs in = new CsvInputs()
        .set("loans", 0, "loan_id,application_id,disbursed_date,principal,rate,term_months")
        .add("loans", "L1,A2,2024-12-10,500.0,0.1,3")
        .set("score_snapshots", 0, "customer_id,score_time,bureau_score,source")
        .set("score_snapshots", 2, "C2,2024-11-25 9am,610,bureau")
        .set("applications", 4, "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,pending,,660")
        .add("repayments", "L404,1,2025-01-01,10.0,0.0,");
    Run r = buildDataset(dir, in, AS_OF);
    String msg = assertRejected(dir, r,
        "7 problems found",
        "loans.annual_rate: missing column",
        "loans.application_id (one loan per application): unique (rows sharing a key) (2 rows, e.g. A2)",
        "score_snapshots.score: missing column",
        "score_snapshots.score_time: value does not parse as timestamp (1 row",
        "loans.loan_id: unique (rows sharing a key) (2 rows, e.g. L1)",
        "applications.decision: decision in (approved, rejected)",
        "repayments.loan_id: loan_id refers to an unknown loan");
    assertFalse(msg.contains("not null"), msg);
  }

  @Test
  void threeBrokenRulesInThreeTablesAreAllReportedInOneMessage(@TempDir Path dir) {
    CsvInputs in = new CsvInputs()
        .set("score_snapshots", 1, "C1,2024-11-20 10:00:00,999,bureau")
        .set("applications", 4, "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,pending,,660")
        .add("repayments", "L404,1,2025-01-01,10.0,0.0,");
    Run r = buildDataset(dir, in, AS_OF);
    String msg = assertRejected(dir, r,
        "3 problems found",
        "score_snapshots.score: score within [350, 950]",
        "applications.decision: decision in (approved, rejected)",
        "repayments.loan_id: loan_id refers to an unknown loan");
    assertEquals(1, msg.split("error: ", -1).length - 1, "one message:\n" + msg);
  }

  @Test
  void aRenamedColumnIsMissingUntilMappedWithItsConfKey(@TempDir Path dir) {
    CsvInputs in = new CsvInputs().set("score_snapshots", 0, "customer_id,score_time,bureau_score,source");
    List<String> inputArgs = in.write(dir.resolve("in"));
    Path failed = dir.resolve("failed");
    Run r = run(args(failed, AS_OF, inputArgs));
    assertRejected(failed, r, "score_snapshots.score: missing column", "inputs.score_snapshots.columns.score");

    Path mapped = dir.resolve("mapped");
    Run ok = run(args(mapped, AS_OF, inputArgs, "--set", "inputs.score_snapshots.columns.score=bureau_score"));
    assertEquals(0, ok.code(), ok.err());
    assertTrue(Files.isDirectory(mapped.resolve("wh/model_dataset")));
  }

  @Test
  void anAsOfDateAfterTheExtractDateExits2AndWritesNothing(@TempDir Path dir) {
    Run r = buildDataset(dir, new CsvInputs(), "2026-01-01");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("extract date 2025-07-05"), r.err());
    assertTrue(r.err().contains("2026-01-01"), r.err());
    assertTrue(r.err().contains("inputs.extract_date"), r.err());
    assertNothingWritten(dir);
  }

  @Test
  void anAsOfDateBeforeEveryApplicationExits2AndWritesNothing(@TempDir Path dir) {
    Run r = buildDataset(dir, new CsvInputs(), "2024-11-30");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("Invalid --as-of 2024-11-30: the date holds no application (all 6 are dated after "
        + "it)"), r.err());
    assertNothingWritten(dir);
  }

  @Test
  void distinctInstallmentNumbersAbove63AreNoViolation(@TempDir Path dir) {
    // Beyond the bit set of the repayments' pass the key check looks at the table again, exactly.
    CsvInputs in = installments(new CsvInputs(), 4, 100);
    Run r = buildDataset(dir, in, AS_OF);
    assertEquals(0, r.code(), r.err());
  }

  @Test
  void aConfiguredExtractDateAllowsALaterAsOfDate(@TempDir Path dir) {
    Run r = buildDataset(dir, new CsvInputs(), "2026-01-01", "--set", "inputs.extract_date=2026-06-30");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("extract date 2026-06-30"), r.out());
  }

  // ---- Parquet and Delta inputs ----

  /** Reads a CsvInputs CSV with Spark and casts each column to its contract type. */
  static Dataset<Row> typed(Path csvDir, InputTable t) {
    Dataset<Row> raw = spark.read().option("header", "true").csv(csvDir.resolve(t.tableName() + ".csv").toString());
    List<Column> cols = new ArrayList<>();
    for (ColumnSpec c : t.columns()) {
      cols.add(col(c.name()).cast(c.type().sparkType()).as(c.name()));
    }
    return raw.select(cols.toArray(new Column[0]));
  }

  /**
   * Writes every table with contract types, in the format {@code formatOf} gives per table, after
   * {@code tweak} has had a chance to change the frames; returns the --set arguments.
   */
  static List<String> writeTyped(Path dir, Function<InputTable, String> formatOf, Consumer<Dataset<Row>[]> tweak) {
    Path csv = dir.resolve("csv");
    new CsvInputs().write(csv);
    InputTable[] tables = InputTable.values();
    @SuppressWarnings("unchecked")
    Dataset<Row>[] dfs = new Dataset[tables.length];
    for (int i = 0; i < tables.length; i++) {
      dfs[i] = typed(csv, tables[i]);
    }
    tweak.accept(dfs);
    List<String> args = new ArrayList<>();
    for (int i = 0; i < tables.length; i++) {
      String format = formatOf.apply(tables[i]);
      String path = dir.resolve(format).resolve(tables[i].tableName()).toAbsolutePath().toString();
      dfs[i].coalesce(1).write().format(format).save(path);
      args.addAll(List.of("--set", "inputs." + tables[i].tableName() + ".path=" + path,
          "--set", "inputs." + tables[i].tableName() + ".format=" + format));
    }
    return args;
  }

  @Test
  void parquetAndDeltaInputsWithContractTypesBuildTheDataset(@TempDir Path dir) {
    // Four tables as Parquet, the optional loan_events as a Delta table (one run keeps the class fast).
    Run r = run(args(dir, AS_OF, writeTyped(dir, t -> t == InputTable.LOAN_EVENTS ? "delta" : "parquet", dfs -> { })));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("extract date 2025-07-05"), r.out());
    Dataset<Row> md = spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString());
    assertEquals(5, md.count());
    // A2 is bad and mature with the same answer as from CSV (DPD and its charge_off event).
    assertEquals(List.of("A2"), md.filter(col("status").equalTo("bad")).select("application_id").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void aParquetScoreColumnOfTheWrongTypeExits3(@TempDir Path dir) {
    int snaps = InputTable.SCORE_SNAPSHOTS.ordinal();
    Run r = run(args(dir, AS_OF, writeTyped(dir, t -> "parquet",
        dfs -> dfs[snaps] = dfs[snaps].withColumn("score", col("score").gt(600)))));
    assertRejected(dir, r, "score_snapshots.score: wrong type boolean, expected int");
  }
}
