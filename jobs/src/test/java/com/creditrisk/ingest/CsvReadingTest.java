package com.creditrisk.ingest;

import static com.creditrisk.ingest.ContractValidationTest.args;
import static com.creditrisk.ingest.ContractValidationTest.assertRejected;
import static com.creditrisk.ingest.ContractValidationTest.buildDataset;
import static com.creditrisk.ingest.ContractValidationTest.run;
import static com.creditrisk.ingest.ContractValidationTest.writeTyped;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.CsvInputs;
import com.creditrisk.contract.InputTable;
import com.creditrisk.ingest.ContractValidationTest.Run;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a CSV input never changes its data (DESIGN.md, "Inputs"): a number that is not finite, a
 * row whose field count is not the header's, are violations (exit 3), never a silent value; quoting
 * follows RFC 4180. Each case is one edit of the valid {@link CsvInputs}, whose clean run
 * {@code BuildDatasetTest} pins (A1 good, A2 bad, ...).
 */
class CsvReadingTest {
  static final String AS_OF = ContractValidationTest.AS_OF;
  static final String FINITE = "finite number (not NaN or Infinity)";
  static final String FIELDS = "row with a field count other than the header's";

  @BeforeAll
  static void session() {
    ContractValidationTest.session();
  }

  /** The problem lines of the exit-3 message, in order. */
  static List<String> problems(Run r) {
    return Arrays.stream(r.err().split("\n")).filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).toList();
  }

  @Test
  void nanAndInfinityInNumericColumnsAreViolations(@TempDir Path dir) {
    // Before the fix: exit 0, NaN and Infinity passed the amount rules (NaN is not <= 0 in Spark).
    CsvInputs in = new CsvInputs()
        .set("applications", 1, "A1,C1,2024-12-01 12:00:00,paylater,app,NaN,3,approved,L1,650")
        .set("loans", 2, "L2,A2,2024-12-10,Infinity,0.3,3")
        .set("repayments", 1, "L1,1,2025-01-01,NaN,100.0,2025-01-01");
    Run r = buildDataset(dir, in, AS_OF);
    assertRejected(dir, r, "3 problems found:");
    assertEquals(List.of(
        "applications.requested_amount: " + FINITE + " (1 row, e.g. A1)",
        "loans.principal: " + FINITE + " (1 row, e.g. L2)",
        "repayments.amount_due: " + FINITE + " (1 row, e.g. L1#1)"), problems(r));
  }

  @Test
  void everySpellingOfANonFiniteNumberIsCaught(@TempDir Path dir) {
    // Spark reads these case-insensitively, and 1e999 overflows to Infinity.
    CsvInputs in = new CsvInputs()
        .set("loans", 1, "L1,A1,2024-12-01,nan,1e999,3")
        .set("loans", 2, "L2,A2,2024-12-10,-Infinity,0.3,3")
        .set("loans", 3, "L5,A5,2025-05-01, +INF ,0.2,3");
    Run r = buildDataset(dir, in, AS_OF);
    assertRejected(dir, r);
    assertEquals(List.of(
        "loans.principal: " + FINITE + " (3 rows, e.g. L1, L2, L5)",
        "loans.annual_rate: " + FINITE + " (1 row, e.g. L1)",
        "loans.principal: principal > 0 (1 row, e.g. L2)"), problems(r));
  }

  @Test
  void nanInAParquetDoubleColumnIsAViolation(@TempDir Path dir) {
    int loans = InputTable.LOANS.ordinal();
    Run r = run(args(dir, AS_OF, writeTyped(dir, t -> "parquet", dfs -> dfs[loans] = dfs[loans].withColumn(
        "principal", when(col("loan_id").equalTo("L1"), lit(Double.NaN)).otherwise(col("principal"))))));
    assertRejected(dir, r);
    assertEquals(List.of("loans.principal: " + FINITE + " (1 row, e.g. L1)"), problems(r));
  }

  @Test
  void aRowWithTooFewOrTooManyFieldsIsAViolation(@TempDir Path dir) {
    // Before the fix: exit 0. Spark padded a short row with nulls (L1's first installment lost its
    // paid_date, so L1 turned bad) and dropped the extra field of a long one.
    CsvInputs in = new CsvInputs()
        // A5's decision_score was an empty last field; without its comma the row has 9 fields.
        .set("applications", 5, "A5,C4,2025-05-01 08:00:00,paylater,partner,150.0,3,approved,L5")
        .set("loans", 1, "L1,A1,2024-12-01,300.0,0.2,3,extra")
        .set("repayments", 1, "L1,1,2025-01-01,100.0,100.0");
    Run r = buildDataset(dir, in, AS_OF);
    assertRejected(dir, r, "3 problems found:");
    assertEquals(List.of(
        "applications: " + FIELDS + " (1 row, e.g. A5)",
        "loans: " + FIELDS + " (1 row, e.g. L1)",
        "repayments: " + FIELDS + " (1 row, e.g. L1#1)"), problems(r));
  }

  @Test
  void aShortRowIsReportedWithTheNullItLeavesInARequiredColumn(@TempDir Path dir) {
    // Missing its last two fields, the repayment row also lacks amount_paid: both are reported.
    CsvInputs in = new CsvInputs().set("repayments", 4, "L2,1,2025-01-10,340.0");
    Run r = buildDataset(dir, in, AS_OF);
    assertRejected(dir, r, "2 problems found:");
    assertEquals(List.of(
        "repayments: " + FIELDS + " (1 row, e.g. L2#1)",
        "repayments.amount_paid: not null (1 row, e.g. L2#1)"), problems(r));
  }

  @Test
  void aRowMissingAFieldOfAColumnOutsideTheContractIsAViolationToo(@TempDir Path dir) {
    // The scans read only the contract's columns; the field count is still the whole row's.
    CsvInputs in = new CsvInputs()
        .set("loans", 0, "loan_id,application_id,disbursed_date,principal,annual_rate,term_months,note")
        .set("loans", 1, "L1,A1,2024-12-01,300.0,0.2,3,first")
        .set("loans", 2, "L2,A2,2024-12-10,1000.0,0.3,3")
        .set("loans", 3, "L5,A5,2025-05-01,150.0,0.2,3,");
    Run r = buildDataset(dir, in, AS_OF);
    assertRejected(dir, r);
    assertEquals(List.of("loans: " + FIELDS + " (1 row, e.g. L2)"), problems(r));
  }

  @Test
  void quotingFollowsRfc4180AndABackslashIsAnOrdinaryCharacter(@TempDir Path dir) {
    // Before the fix Spark escaped with a backslash: the doubled quotes were stored doubled, and
    // "web\" never closed its quote.
    CsvInputs in = new CsvInputs()
        .set("applications", 1, "A1,C1,2024-12-01 12:00:00,\"Pay \"\"Later\"\"\",app,300.0,3,approved,L1,650")
        .set("applications", 2, "A2,C2,2024-12-10 12:00:00,C:\\loans\\cash,web,1000.0,3,approved,L2,610")
        .set("applications", 3, "A3,C3,2024-12-10 13:00:00,\"cash, loan\",web,800.0,6,rejected,,520")
        .set("applications", 4, "A4,C1,2025-03-20 08:00:00,paylater,\"web\\\",200.0,3,approved,,660");
    Run r = buildDataset(dir, in, AS_OF);
    assertEquals(0, r.code(), r.err());
    Map<String, Row> md = new HashMap<>();
    ContractValidationTest.spark.read().format("delta").load(dir.resolve("wh/model_dataset").toString())
        .collectAsList().forEach(row -> md.put(row.getAs("application_id"), row));
    assertEquals("Pay \"Later\"", md.get("A1").getAs("product"));
    assertEquals("C:\\loans\\cash", md.get("A2").getAs("product"));
    assertEquals("cash, loan", md.get("A3").getAs("product"));
    assertEquals("web\\", md.get("A4").getAs("channel"));
    // Every other value as in the clean run: A1 still good, A2 bad.
    assertEquals("good", md.get("A1").getAs("status"));
    assertEquals("bad", md.get("A2").getAs("status"));
    assertEquals(5, md.size());
  }
}
