package com.creditrisk.binning;

import com.creditrisk.io.LocalCsv;
import com.creditrisk.io.LocalCsv.NotLocal;
import com.creditrisk.io.LocalLabel;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The fit's input side on a sampled CSV file ({@link SampledCsv}) read as lines of bytes instead
 * of through Spark's CSV reader: each line split and its cells converted with {@link LocalCsv}'s
 * grammar, as the local path does, and stacked into the same cells as {@link FineBins}' Stack.
 * Spark's reader tokenizes every line into Strings and parses every double with the JDK's slow
 * path; on a file of full-precision doubles that was most of the fit's CPU (profile in
 * docs/benchmarks.md).
 *
 * <p>Why the cells are those of the sampled read. Spark's CSV and text sources split a file into
 * the same lines (the same Hadoop line reader, LF, CR or CRLF, a UTF-8 BOM stripped). The CSV
 * reader drops every blank data line (its {@code String.trim} empty, i.e. every byte at most 0x20:
 * a byte from 0x80 decodes to a character above U+0020) and, in the split at offset 0, the header;
 * so does this, for a file whose first line, the header, is not blank (a blank first line leaves
 * the file to the reader). A line is taken only when {@link LocalCsv#lineEnd} and
 * {@link LocalCsv#fields} accept it (no quote, no control character, the header's number of
 * fields), and each of its cells, whether the fit bins that column or not, converts to the column's sampled type under the grammar, with the value
 * the reader's conversion gives: an empty cell is null; an int or long column takes
 * {@link LocalCsv#integer} in the type's range (the reader's {@code toInt}, {@code toLong}); a
 * double column {@link LocalCsv#number}, which is {@link Double#parseDouble}, the reader's
 * {@code toDouble}; a boolean column {@code true} or {@code false} as spelled; a string column
 * any cell, and when binned, valid UTF-8 not padded with spaces (the bytes decode one to one to
 * the reader's string). A binned int or long column read as categories gets the exact integer's
 * {@link Long#toString}, the cast to string the Stack sees. Any other line is rejected: it adds an
 * invalid label to every feature, so {@link BinFeatures} sees it in the fine-bin rows before it
 * screens, fits or writes anything, and reads the file with Spark's reader ({@link SampledCsv}'s
 * own fallback), whose rejected rows go the same way. No line is kept or dropped silently.
 *
 * <p>What it takes ({@link #plan}): a numeric label, with no --bad-value or a numeric one (the
 * label rule of {@link BinFeatures#label} on numbers is a comparison of doubles); numeric features
 * (int, long or double; as categories only int or long) and string features. A boolean feature,
 * a double read as categories or a sample line outside the grammar leaves the file to the reader.
 */
final class TextCells implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  // A column's sampled type.
  private static final byte INT = 0;
  private static final byte LONG = 1;
  private static final byte DOUBLE = 2;
  private static final byte BOOLEAN = 3;
  private static final byte STRING = 4;

  /** What the fit reads from a file of lines: the file's layout, the label rule, the features' columns. */
  record Plan(byte[] header, byte[] types, int labelAt, boolean badGiven, double bad, int[] featureAt)
      implements Serializable {}

  private final Plan plan;
  private final boolean[] cat;
  private final double[] specials;
  private final int[] keys;
  private final int maxDistinct;

  TextCells(Plan plan, boolean[] cat, double[] specials, int[] keys, int maxDistinct) {
    this.plan = plan;
    this.cat = cat;
    this.specials = specials;
    this.keys = keys;
    this.maxDistinct = maxDistinct;
  }

  /**
   * The plan for {@code features} of a file whose sampled types are {@code schema}, or null when
   * the lines are left to Spark's reader (see the class comment); {@code sample} is the file's
   * first lines, header first, as read by Spark's text source.
   */
  static Plan plan(StructType schema, List<String> sample, String labelCol, String badValue, List<String> features,
      Set<String> categorical) {
    List<byte[]> lines = sample.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    if (lines.isEmpty() || blank(lines.get(0))) {
      return null;
    }
    String[] names = schema.fieldNames();
    byte[] types = new byte[names.length];
    for (int j = 0; j < names.length; j++) {
      DataType t = schema.fields()[j].dataType();
      if (t.equals(DataTypes.IntegerType)) {
        types[j] = INT;
      } else if (t.equals(DataTypes.LongType)) {
        types[j] = LONG;
      } else if (t.equals(DataTypes.DoubleType)) {
        types[j] = DOUBLE;
      } else if (t.equals(DataTypes.BooleanType)) {
        types[j] = BOOLEAN;
      } else if (t.equals(DataTypes.StringType)) {
        types[j] = STRING;
      } else {
        return null;
      }
    }
    int labelAt = Arrays.asList(names).indexOf(labelCol);
    Double bad = LocalLabel.numericBadValue(badValue);
    if (labelAt < 0 || types[labelAt] > DOUBLE || (badValue != null && bad == null)) {
      return null;
    }
    int[] featureAt = new int[features.size()];
    for (int i = 0; i < featureAt.length; i++) {
      int j = Arrays.asList(names).indexOf(features.get(i));
      boolean asLevels = categorical.contains(features.get(i));
      if (j < 0 || types[j] == BOOLEAN || (types[j] == STRING && !asLevels) || (asLevels && types[j] == DOUBLE)) {
        return null;
      }
      featureAt[i] = j;
    }
    Plan p = new Plan(lines.get(0), types, labelAt, bad != null, bad == null ? 0 : bad, featureAt);
    Line line = new Line(p);
    for (byte[] b : lines.subList(1, lines.size())) {
      if (!blank(b) && !line.read(b, b.length)) {
        return null;
      }
    }
    return p;
  }

  /** Whether the CSV reader drops the line as empty: every byte at most 0x20. */
  private static boolean blank(byte[] b) {
    for (byte x : b) {
      if (x < 0 || x > 0x20) {
        return false;
      }
    }
    return true;
  }

  /** Rows of (line bytes, the start of the line's split in its file). */
  @Override
  public Iterator<Row> call(Iterator<Row> lines) {
    Line line = new Line(plan);
    boolean[] headerSeen = {false};
    return new FineBins.TaskCells(cat, specials, keys, maxDistinct).stacked(lines, (r, t) -> {
      byte[] b = (byte[]) r.get(0);
      if (blank(b)) {
        return;
      }
      if (r.getLong(1) == 0 && !headerSeen[0]) {
        headerSeen[0] = true;
        if (Arrays.equals(b, plan.header())) {
          return;
        }
      } else if (line.read(b, b.length)) {
        line.stack(t, cat);
        return;
      }
      for (int i = 0; i < cat.length; i++) {
        t.missing(i, FineBins.REJECTED_LABEL);
      }
    });
  }

  /** One line's label class and feature cells, converted before any is counted. */
  private static final class Line {
    private final Plan plan;
    private final int[] starts;
    private final double[] values;
    private final String[] levels;
    private final boolean[] nulls;
    private final boolean[] binned;
    private int label;

    Line(Plan plan) {
      this.plan = plan;
      this.starts = new int[plan.types().length + 1];
      this.values = new double[plan.featureAt().length];
      this.levels = new String[plan.featureAt().length];
      this.nulls = new boolean[plan.featureAt().length];
      this.binned = new boolean[plan.types().length];
      for (int j : plan.featureAt()) {
        binned[j] = true;
      }
    }

    /** Whether the line [0, n) is taken; then its label and cells are this line's. */
    boolean read(byte[] b, int n) {
      try {
        int e = LocalCsv.lineEnd(b, 0, n);
        LocalCsv.fields(b, 0, e, starts.length - 1, starts);
        byte[] types = plan.types();
        for (int j = 0; j < types.length; j++) {
          if (j != plan.labelAt() && !binned[j]) {
            check(types[j], b, starts[j], starts[j + 1] - 1);
          }
        }
        label = labelClass(b, starts[plan.labelAt()], starts[plan.labelAt() + 1] - 1);
        int[] at = plan.featureAt();
        for (int i = 0; i < at.length; i++) {
          int s = starts[at[i]];
          int f = starts[at[i] + 1] - 1;
          nulls[i] = s == f;
          if (nulls[i]) {
            continue;
          }
          byte t = types[at[i]];
          if (t == STRING) {
            if (b[s] == ' ' || b[f - 1] == ' ') {
              throw new NotLocal("a text cell padded with spaces");
            }
            LocalCsv.text(b, s, f);
            levels[i] = new String(b, s, f - s, StandardCharsets.UTF_8);
          } else if (t == DOUBLE) {
            values[i] = LocalCsv.number(b, s, f);
          } else {
            long v = integer(t, b, s, f);
            values[i] = v;
            levels[i] = Long.toString(v);
          }
        }
        return true;
      } catch (NotLocal e) {
        return false;
      }
    }

    void stack(FineBins.TaskCells t, boolean[] cat) {
      for (int i = 0; i < cat.length; i++) {
        if (nulls[i]) {
          t.missing(i, label);
        } else if (cat[i]) {
          t.level(i, levels[i], label);
        } else {
          t.number(i, values[i], label);
        }
      }
    }

    private int labelClass(byte[] b, int s, int e) {
      if (s == e) {
        return FineBins.NO_LABEL;
      }
      byte t = plan.types()[plan.labelAt()];
      double y = t == DOUBLE ? LocalCsv.number(b, s, e) : integer(t, b, s, e);
      if (plan.badGiven()) {
        return FineBins.labelClass(y == plan.bad() ? 1.0 : 0.0);
      }
      return FineBins.labelClass(y);
    }

    /** Throws {@link NotLocal} unless the non-empty cell converts to type t. */
    private static void check(byte t, byte[] b, int s, int e) {
      if (s == e || t == STRING) {
        return;
      }
      switch (t) {
        case DOUBLE -> LocalCsv.number(b, s, e);
        case BOOLEAN -> {
          if (!LocalLabel.bool(b, s, e)) {
            throw new NotLocal("a boolean column with another cell");
          }
        }
        default -> integer(t, b, s, e);
      }
    }

    /** The integer cell of an int or long column; {@link NotLocal} outside the grammar or the type's range. */
    private static long integer(byte t, byte[] b, int s, int e) {
      if (!LocalCsv.integer(b, s, e)) {
        throw new NotLocal("a cell that is not an integer");
      }
      long v = LocalCsv.longValue(b, s, e);
      if (t == INT && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
        throw new NotLocal("an integer beyond an int");
      }
      return v;
    }
  }
}
