package com.creditrisk.validation;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.binning.BinFeatures;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV read without schema inference ({@link PlainNumbers}) against the read with it: for every
 * column whose cells the plain read takes without a rejected line (and with some value), inference
 * types the column as a number and every cell, cast to a double, is the same double, bit for bit;
 * the columns it rejects are the ones the caller hands back to inference. Spellings: full-precision
 * doubles, ints, longs and integers beyond a long, exponents, the NaN and infinity spellings, spaces,
 * Java suffixes, hex, empty cells, text, booleans, dates and digits of another script. End to end, the
 * pack from the plain read is the inferred read's metrics.json, and a score column with text in it
 * gives the inferred read's error, table, column and exit code.
 */
class PlainNumbersPropertyTest {
  private final SparkSession spark = TestSpark.get();
  @TempDir Path dir;

  private static final List<String> SPELLINGS = List.of("0", "1", "-7", "+3", "007", "2147483648", "-9223372036854775808",
      "9223372036854775808", "123456789012345678901234567890", "1e5", "1E-5", "2.5e+10", "-3.0E7", "1e400", "1e-400",
      "0.1", "0.30000000000000004", "4.9E-324", "1.7976931348623157E308", "-0.0", "0.0", "NaN", "Inf", "-Inf",
      "Infinity", "-Infinity", "+Infinity", "inf", "nan", "INF", "-infinity", " 1.5", "1.5 ", "1d", "2f", "0x1p3",
      "", "abc", "true", "False", "2024-01-01", "2024-01", "12:30", "\u0661\u0662", "1,5", "1_000");

  /** A column of one spelling among full-precision doubles, integers and empty cells. */
  private static List<String> column(String spelling, Random rnd, int rows) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int k = rnd.nextInt(5);
      cells.add(i % 7 == 3 ? spelling : k == 0 ? "" : k == 1 ? String.valueOf(rnd.nextInt(2000) - 1000)
          : k == 2 ? String.format(Locale.ROOT, "%.17g", rnd.nextGaussian() * 1e3)
          : String.valueOf(rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10)));
    }
    return cells;
  }

  @Test
  void everyColumnThePlainReadTakesIsANumberToInferenceWithTheSameDoubles() throws Exception {
    Random rnd = new Random(16);
    int rows = 40;
    List<List<String>> cols = new ArrayList<>();
    for (String s : SPELLINGS) {
      cols.add(column(s, rnd, rows));
    }
    // Whole columns of one kind too: integers only (inferred int or long), and empty only.
    List<String> ints = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      ints.add(String.valueOf(rnd.nextLong() >> rnd.nextInt(60)));
      empty.add("");
    }
    cols.add(ints);
    cols.add(empty);
    List<String> lines = new ArrayList<>();
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < cols.size(); c++) {
      header.append(c == 0 ? "" : ",").append("c").append(c);
    }
    lines.add(header.toString());
    for (int i = 0; i < rows; i++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < cols.size(); c++) {
        String cell = cols.get(c).get(i);
        line.append(c == 0 ? "" : ",").append(cell.contains(",") ? "\"" + cell + "\"" : cell);
      }
      lines.add(line.toString());
    }
    Path csv = dir.resolve("spellings.csv");
    Files.write(csv, lines);

    Dataset<Row> inferred = BinFeatures.read(spark, csv.toString(), "csv");
    List<Row> inferredRows = inferred.collectAsList();
    int taken = 0;
    int handedBack = 0;
    for (int c = 0; c < cols.size(); c++) {
      String name = "c" + c;
      Dataset<Row> plain = PlainNumbers.read(spark, csv.toString(), List.of(name));
      assertEquals(List.of(inferred.columns()), List.of(PlainNumbers.columns(plain.schema()).fieldNames()), "header");
      List<Row> plainRows = plain.select(col(name), col(PlainNumbers.UNPARSED)).collectAsList();
      boolean rejected = plainRows.stream().anyMatch(r -> !r.isNullAt(1));
      boolean someValue = plainRows.stream().anyMatch(r -> !r.isNullAt(0));
      DataType type = inferred.schema().apply(name).dataType();
      String what = name + " (" + (c < SPELLINGS.size() ? "'" + SPELLINGS.get(c) + "'" : "whole column") + ", "
          + type.simpleString() + ")";
      if (rejected || !someValue) {
        handedBack++;
        continue;
      }
      taken++;
      assertTrue(type instanceof NumericType, what + ": inferred as a number");
      int at = inferred.schema().fieldIndex(name);
      for (int i = 0; i < rows; i++) {
        Row r = inferredRows.get(i);
        Double expected = r.isNullAt(at) ? null : ((Number) r.get(at)).doubleValue();
        Double actual = plainRows.get(i).isNullAt(0) ? null : plainRows.get(i).getDouble(0);
        assertEquals(expected == null ? null : Double.doubleToLongBits(expected),
            actual == null ? null : Double.doubleToLongBits(actual), what + " row " + i);
      }
    }
    assertTrue(taken >= 20 && handedBack >= 10, "taken " + taken + ", handed back " + handedBack);
  }

  private ValidateScores.Input input(String scores, String out) {
    return new ValidateScores.Input(scores, null, "pd", "bad", null, false, null, null, null, null, null, List.of(),
        List.of(0.05, 0.2), null, dir.resolve(out).toString());
  }

  /** n rows of a full-precision PD and a 0/1 label; the cell at row `odd` spelled as given. */
  private Path scores(String name, int n, int odd, String spelling) throws Exception {
    Random rnd = new Random(name.hashCode());
    List<String> lines = new ArrayList<>(List.of("id,pd,bad"));
    for (int i = 0; i < n; i++) {
      double pd = rnd.nextDouble() * 0.3;
      lines.add(i + "," + (i == odd ? spelling : String.valueOf(pd)) + "," + (rnd.nextDouble() < pd ? 1 : 0));
    }
    Path p = dir.resolve(name);
    Files.write(p, lines);
    return p;
  }

  private static ObjectNode withoutTimings(ValidationResult r) {
    ObjectNode tree = new ObjectMapper().valueToTree(r.toJson());
    tree.remove("timings_ms");
    return tree;
  }

  /** summary_max_groups 50: a CSV of more than 100 bytes goes to the sorted groups either way. */
  private static final CreditRiskConfig CONF = CreditRiskConfig.defaults()
      .with(List.of("validation.summary_max_groups=50"));

  private Dataset<Row> plain(Path p) {
    Dataset<Row> plain = PlainNumbers.read(spark, p.toString(), List.of("pd", "bad"));
    assertNotNull(plain);
    return plain;
  }

  @Test
  void thePackFromThePlainReadIsTheInferredReadsToTheLastDigit() throws Exception {
    CreditRiskConfig conf = CONF;
    Path p = scores("plain.csv", 900, 5, "1e-3");
    ValidateScores.Input in = input(p.toString(), "plain");
    Dataset<Row> plain = plain(p);
    ValidationResult fromPlain = ValidateScores.validate(conf, in, "csv", plain, null);
    ValidationResult fromInferred = ValidateScores.validate(conf, in, "csv", BinFeatures.read(spark, p.toString(), "csv"),
        null);
    assertEquals(withoutTimings(fromInferred), withoutTimings(fromPlain));
    assertEquals(withoutTimings(fromInferred), withoutTimings(ValidateScores.run(spark, conf, in)));
  }

  @Test
  void aScoreCellThatIsNotANumberGivesTheInferredReadsErrorTableColumnAndExitCode() throws Exception {
    CreditRiskConfig conf = CONF;
    Path p = scores("text.csv", 900, 700, "n/a");
    ValidateScores.Input in = input(p.toString(), "text");
    Dataset<Row> plain = plain(p);
    assertThrows(PlainNumbers.NotPlain.class, () -> ValidateScores.validate(conf, in, "csv", plain, null));
    CreditRiskException e = assertThrows(CreditRiskException.class, () -> ValidateScores.run(spark, conf, in));
    assertEquals("Cannot use input table " + p + ": column 'pd' has type string, not a number (--score-col) "
        + "(columns: id, pd, bad); nothing was written.", e.getMessage());
    assertEquals(ErrorCode.BAD_INPUT, e.code());
    assertFalse(Files.exists(dir.resolve("text")));
  }
}
