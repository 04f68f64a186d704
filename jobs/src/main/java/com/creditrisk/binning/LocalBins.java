package com.creditrisk.binning;

import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.io.LocalCsv;
import com.creditrisk.io.LocalCsv.NotLocal;
import com.creditrisk.io.LocalLabel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * bin on a local CSV file in the JVM, without Spark: the file's cells counted into the cells
 * {@link FineBins}' sweep takes, and from there the Spark path's own code: the same
 * {@link FineBins.Feature} sweep, {@link BinFeatures#columns}, {@link IdentifierColumns},
 * {@link WoeBinning}'s fit and the writers, so the output folder is the Spark path's byte for byte.
 *
 * <p>Why the cells are the Spark path's. The file must have {@link LocalCsv}'s spelling, and no
 * line equal to the header line (inference leaves such a line out, the read keeps it). Each column
 * read takes its kind from its first non-empty cell, and every other cell must fit it:
 * <ul>
 *   <li>numbers ({@link LocalCsv#number}): inference types the column int, long or double, and
 *       each cell, cast to a double, is the double parsed here (-0.0 made 0.0, as the Stack does);
 *       a column binned as categories (--categorical) must hold integers, whose cast to a string is
 *       {@link Long#toString} of the exact value (a double's spelling as a string is not vouched for);
 *   <li>{@code true} and {@code false}, spelled so: a boolean column, whose levels are those words;
 *   <li>anything else: a string column, kept only when some cell is a word ({@link LocalCsv#word}),
 *       as such a cell makes inference call the column a string whatever else it holds; its values
 *       are the cells' text (valid UTF-8, not padded with spaces), levels in Spark's order of
 *       strings (unsigned UTF-8 bytes).
 * </ul>
 * A column with no value is inference's string column with no values. A contract key column the
 * default screening leaves out by name is read for its kind alone (its type decides whether it is
 * skipped instead; its values never reach the output). A cell of another kind, or two halves of
 * the file of different kinds go to Spark. The label follows {@link LocalLabel}
 * ({@link BinFeatures#label}'s rule, shared with validate --scores). Whatever the Spark path would
 * report as an input error (a missing column, a label that is not 0/1, one class, nothing to bin)
 * goes to Spark too, so its text and exit code stay the Spark path's.
 *
 * <p>Memory: 8 bytes a numeric cell of a column read, at most {@link #MAX_TEXT_VALUES} distinct text
 * values (then Spark), the file read in chunks. Two threads read the halves of a large file; the
 * features are then sorted and swept on both cores.
 */
final class LocalBins {
  /** Distinct text values held (over the string columns); beyond, the file goes to Spark. */
  static final int MAX_TEXT_VALUES = 1 << 20;

  private static final byte UNSEEN = 0;
  private static final byte NUMBER = 1;
  private static final byte BOOLEAN = 2;
  private static final byte TEXT = 3;

  // A row's label class, the index of its counts.
  private static final int GOOD = LocalLabel.GOOD;
  private static final int BAD = LocalLabel.BAD;
  private static final int UNLABELED = LocalLabel.UNLABELED;

  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  private LocalBins() {}

  /** The fitted model and the columns binned, skipped for their type and left out as identifiers. */
  record Fitted(WoeBinningModel model, List<String> features, List<String> skipped,
      List<IdentifierColumns.Excluded> excluded) {}

  /** Bins the file, writing nothing; {@link NotLocal} when the Spark path must read it. */
  static Fitted fit(Path file, BinFeatures.Input in) throws IOException {
    List<String> names;
    List<Part> parts;
    int labelAt;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      LocalCsv.Header header = LocalCsv.header(ch, file.toString());
      names = header.names();
      if (names.stream().anyMatch(n -> n.startsWith("__"))) {
        throw new NotLocal("a column named like bin's own columns");
      }
      labelAt = names.indexOf(in.labelCol());
      if (labelAt < 0 || !names.containsAll(in.features())) {
        throw new NotLocal("a column is missing");
      }
      Scan scan = new Scan(header, names, labelAt, in);
      parts = LocalCsv.scan(ch, header.dataStart(), (from, to, stop) -> scan.range(ch, from, to, stop));
    }
    Col[] cols = merge(parts, names.size());
    LocalLabel.Seen label = new LocalLabel.Seen();
    parts.forEach(p -> label.add(p.label));
    new LocalLabel(in.badValue()).check(label);
    StructType schema = new StructType();
    for (int j = 0; j < names.size(); j++) {
      schema = schema.add(names.get(j), type(cols[j]));
    }
    BinFeatures.Columns selected;
    try {
      selected = BinFeatures.columns(in, schema);
    } catch (CreditRiskException e) {
      throw new NotLocal("a column the Spark path reports");
    }
    List<String> features = selected.features();
    List<IdentifierColumns.Excluded> excluded = selected.screened()
        ? IdentifierColumns.find(features, selected.strings(), counted -> textCounts(counted, names, cols))
        : List.of();
    excluded.forEach(e -> features.remove(e.column()));
    if (features.isEmpty()) {
      throw new NotLocal("nothing to bin");
    }
    WoeBinning binning = BinFeatures.binning(in, features);
    Set<String> categorical;
    try {
      binning.transformSchema(schema.add(binning.getLabelCol(), DataTypes.DoubleType));
      categorical = binning.categoricalIn(schema);
    } catch (RuntimeException e) {
      throw new NotLocal("options the fit rejects");
    }
    for (String f : features) {
      Col c = cols[names.indexOf(f)];
      if (categorical.contains(f) && c.mode == NUMBER && c.fraction) {
        throw new NotLocal("a column of doubles binned as categories");
      }
    }
    List<List<FineBins.Row4>> perFeature = IntStream.range(0, features.size()).parallel()
        .mapToObj(i -> fineBins(features.get(i), cols[names.indexOf(features.get(i))],
            categorical.contains(features.get(i)), in)).toList();
    List<FineBins.Row4> rows = new ArrayList<>();
    perFeature.forEach(rows::addAll);
    WoeBinningModel model;
    try {
      model = binning.fit(rows, categorical);
    } catch (InvalidLabelException e) {
      throw new NotLocal("a label the Spark path reports");
    }
    return new Fitted(model, features, selected.skipped(), excluded);
  }

  private static DataType type(Col c) {
    if (c == null) {
      // Not read (--features names the others), or the label (LocalLabel), which the column
      // selection takes by its name alone: its type decides nothing.
      return DataTypes.StringType;
    }
    return switch (c.mode) {
      // LongType for inference's IntegerType too: only being numeric is seen downstream (the column
      // selection, categoricalIn), never the width.
      case NUMBER -> c.fraction ? DataTypes.DoubleType : DataTypes.LongType;
      case BOOLEAN -> DataTypes.BooleanType;
      default -> DataTypes.StringType;
    };
  }

  /** Non-null rows and distinct values of each string column, as {@link IdentifierColumns#find} takes them. */
  private static long[] textCounts(List<String> counted, List<String> names, Col[] cols) {
    long[] out = new long[2 * counted.size()];
    for (int i = 0; i < counted.size(); i++) {
      Map<Text, long[]> texts = cols[names.indexOf(counted.get(i))].texts;
      for (long[] c : texts.values()) {
        out[2 * i] += c[GOOD] + c[BAD] + c[UNLABELED];
      }
      out[2 * i + 1] = texts.size();
    }
    return out;
  }

  /** One feature's fine-bin rows, from the same sweep as the Spark path's, fed in its order. */
  private static List<FineBins.Row4> fineBins(String name, Col c, boolean categorical, BinFeatures.Input in) {
    FineBins.Feature f = new FineBins.Feature(name, in.maxBins());
    List<FineBins.Row4> out = new ArrayList<>();
    if (c.nulls[GOOD] + c.nulls[BAD] + c.nulls[UNLABELED] > 0) {
      f.missing(counts(c.nulls[GOOD], c.nulls[BAD], c.nulls[UNLABELED]), false);
    }
    if (c.mode == NUMBER && !categorical) {
      double[] specials = in.specialValues();
      for (int k = 0; k < specials.length; k++) {
        long[] s = c.specials[k];
        if (s[GOOD] + s[BAD] + s[UNLABELED] > 0) {
          double v = LocalCsv.normalized(specials[k]);
          f.special(FineBins.sortable(Double.doubleToRawLongBits(v)), counts(s[GOOD], s[BAD], s[UNLABELED]));
        }
      }
      f.total = c.runs.stream().mapToLong(r -> r[GOOD].size + (long) r[BAD].size).sum();
      distinct(c.runs, (key, g, b, u) -> f.range(key, counts(g, b, u), out));
    } else {
      List<Level> levels = new ArrayList<>();
      if (c.mode == NUMBER) {
        distinct(c.runs, (v, g, b, u) -> levels.add(new Level(Long.toString(v).getBytes(StandardCharsets.US_ASCII),
            counts(g, b, u))));
      } else if (c.mode == BOOLEAN) {
        levels.add(new Level(FALSE, counts(c.bools[0][GOOD], c.bools[0][BAD], c.bools[0][UNLABELED])));
        levels.add(new Level(TRUE, counts(c.bools[1][GOOD], c.bools[1][BAD], c.bools[1][UNLABELED])));
      } else {
        c.texts.forEach((t, n) -> levels.add(new Level(Arrays.copyOfRange(t.b, t.s, t.e),
            counts(n[GOOD], n[BAD], n[UNLABELED]))));
      }
      levels.sort((x, y) -> Arrays.compareUnsigned(x.utf8, y.utf8));
      for (Level l : levels) {
        // Both boolean levels are listed, held or not; the Spark path has a cell only for a level
        // some row holds.
        if (l.counts[0] + l.counts[2] > 0) {
          f.level(utf8(l.utf8), l.counts, out);
        }
      }
    }
    f.finish(out);
    return out;
  }

  /** A level's bytes and counts in the sweep's order (labelled, bads, unlabeled, invalid). */
  private record Level(byte[] utf8, long[] counts) {}

  /** Counts in the sweep's order from a class's goods, bads and unlabeled rows. */
  private static long[] counts(long goods, long bads, long unlabeled) {
    return new long[] {goods + bads, bads, unlabeled, 0};
  }

  /** Every text cell passed {@link LocalCsv#text} while read, so this decodes one to one. */
  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Takes one distinct value and its goods, bads and unlabeled rows. */
  @FunctionalInterface
  private interface DistinctSink {
    void accept(long value, long goods, long bads, long unlabeled);
  }

  /**
   * The distinct values of the parts' arrays of each class, ascending, with each class's count: the
   * arrays are sorted in place and walked together, so no part's values are copied.
   */
  private static void distinct(List<Longs[]> runs, DistinctSink sink) {
    int m = 3 * runs.size();
    long[][] a = new long[m][];
    int[] n = new int[m];
    int[] cls = new int[m];
    for (int r = 0; r < runs.size(); r++) {
      for (int k = 0; k < 3; k++) {
        int i = 3 * r + k;
        a[i] = runs.get(r)[k].toArray();
        n[i] = a[i].length;
        cls[i] = k;
        Arrays.sort(a[i]);
      }
    }
    int[] at = new int[m];
    long[] count = new long[3];
    while (true) {
      boolean any = false;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < m; i++) {
        if (at[i] < n[i] && (!any || a[i][at[i]] < min)) {
          min = a[i][at[i]];
          any = true;
        }
      }
      if (!any) {
        return;
      }
      Arrays.fill(count, 0);
      for (int i = 0; i < m; i++) {
        int j = at[i];
        while (j < n[i] && a[i][j] == min) {
          j++;
        }
        count[cls[i]] += j - at[i];
        at[i] = j;
      }
      sink.accept(min, count[GOOD], count[BAD], count[UNLABELED]);
    }
  }

  /** The parts' columns joined into one per column, each of one kind; null for a column not read. */
  private static Col[] merge(List<Part> parts, int width) {
    Col[] out = parts.get(0).cols;
    for (Part p : parts.subList(1, parts.size())) {
      for (int j = 0; j < width; j++) {
        if (out[j] != null) {
          out[j].add(p.cols[j]);
          // Its text counts are now in the first part's map; its own can be collected while the
          // next column merges.
          p.cols[j] = null;
        }
      }
    }
    for (int j = 0; j < width; j++) {
      Col c = out[j];
      if (c != null && c.mode == UNSEEN) {
        // No value at all: inference's NullType, which it reports as StringType (toStructFields).
        // The whole file was seen, so unlike a sample's empty column this is certain.
        c.start(TEXT, 0);
      } else if (c != null && c.mode == TEXT && !c.sawWord) {
        throw new NotLocal("a column whose type the spelling does not decide");
      }
    }
    return out;
  }

  /**
   * A growing array of longs, in blocks of 256, 512, ... up to 65,536 longs: a full block is kept,
   * not copied, so growing holds no second copy, and the unused end of the last block is at most
   * the content plus 256 (below 65,536 values) or 512 KB; {@link #toArray} makes the one array the
   * sort needs and drops the blocks.
   */
  private static final class Longs {
    private static final int BLOCK = 1 << 16;
    private final List<long[]> blocks = new ArrayList<>();
    private long[] last = new long[256];
    private int inLast;
    int size;

    void add(long x) {
      if (inLast == last.length) {
        if (size > Integer.MAX_VALUE - 2 * BLOCK) {
          throw new NotLocal("too many rows for one array");
        }
        blocks.add(last);
        last = new long[Math.min(BLOCK, last.length * 2)];
        inLast = 0;
      }
      last[inLast++] = x;
      size++;
    }

    long[] toArray() {
      long[] out = new long[size];
      int at = 0;
      for (long[] b : blocks) {
        System.arraycopy(b, 0, out, at, b.length);
        at += b.length;
      }
      System.arraycopy(last, 0, out, at, inLast);
      blocks.clear();
      last = null;
      return out;
    }
  }

  /** A text cell: a range of a buffer while looked up, its own copy once kept. */
  private static final class Text {
    final byte[] b;
    final int s;
    final int e;
    private final int hash;

    Text(byte[] b, int s, int e) {
      this(b, s, e, hash(b, s, e));
    }

    private Text(byte[] b, int s, int e, int hash) {
      this.b = b;
      this.s = s;
      this.e = e;
      this.hash = hash;
    }

    private static int hash(byte[] b, int s, int e) {
      int h = 1;
      for (int i = s; i < e; i++) {
        h = 31 * h + b[i];
      }
      return h;
    }

    Text copy() {
      return new Text(Arrays.copyOfRange(b, s, e), 0, e - s, hash);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Text t && Arrays.equals(b, s, e, t.b, t.s, t.e);
    }
  }

  /** One column's cells in one part of the file: their kind and counts by label class. */
  private static final class Col {
    byte mode = UNSEEN;
    boolean fraction;
    boolean sawWord;
    final long[] nulls = new long[3];
    /**
     * By label class, because {@link FineBins.Feature} takes each value's goods, bads and unlabeled
     * rows apart; unsorted while reading.
     */
    Longs[] values;
    /** Each part's {@link #values}, not concatenated: {@link #distinct} walks them sorted, copying none. */
    List<Longs[]> runs;
    long[][] specials;
    long[][] bools;
    Map<Text, long[]> texts;

    void start(byte kind, int specialValues) {
      mode = kind;
      switch (kind) {
        case NUMBER -> {
          values = new Longs[] {new Longs(), new Longs(), new Longs()};
          runs = new ArrayList<>();
          runs.add(values);
          specials = new long[specialValues][3];
        }
        case BOOLEAN -> bools = new long[2][3];
        default -> texts = new HashMap<>();
      }
    }

    void add(Col o) {
      if (o.mode != UNSEEN && mode != UNSEEN && o.mode != mode) {
        throw new NotLocal("a column of two kinds");
      }
      if (mode == UNSEEN) {
        mode = o.mode;
        values = o.values;
        runs = o.runs;
        specials = o.specials;
        bools = o.bools;
        texts = o.texts;
      } else if (o.mode != UNSEEN) {
        switch (mode) {
          case NUMBER -> {
            runs.addAll(o.runs);
            for (int k = 0; k < 3; k++) {
              for (int s = 0; s < specials.length; s++) {
                specials[s][k] += o.specials[s][k];
              }
            }
          }
          case BOOLEAN -> {
            for (int k = 0; k < 3; k++) {
              bools[0][k] += o.bools[0][k];
              bools[1][k] += o.bools[1][k];
            }
          }
          default -> o.texts.forEach((t, c) -> {
            long[] mine = texts.computeIfAbsent(t, x -> new long[4]);
            for (int k = 0; k < 3; k++) {
              mine[k] += c[k];
            }
          });
        }
      }
      fraction |= o.fraction;
      sawWord |= o.sawWord;
      for (int k = 0; k < 3; k++) {
        nulls[k] += o.nulls[k];
      }
    }
  }

  /** The counts of one range of lines, which its thread alone writes; joined by {@link #merge}. */
  private static final class Part {
    final Col[] cols;
    final LocalLabel.Seen label = new LocalLabel.Seen();

    Part(int width) {
      cols = new Col[width];
    }
  }

  /** The reading of every line: which columns, how each cell is counted. */
  private static final class Scan {
    private final LocalCsv.Header header;
    private final int width;
    private final int labelAt;
    private final int[] read;
    private final boolean[] categorical;
    private final boolean[] kindOnly;
    private final double[] specials;
    private final LocalLabel label;
    private final AtomicInteger textValues = new AtomicInteger();

    Scan(LocalCsv.Header header, List<String> names, int labelAt, BinFeatures.Input in) {
      this.header = header;
      this.width = names.size();
      this.labelAt = labelAt;
      this.read = IntStream.range(0, width).filter(j -> j != labelAt
          && (in.features().isEmpty() || in.features().contains(names.get(j)))).toArray();
      this.categorical = new boolean[width];
      this.kindOnly = new boolean[width];
      // The screening leaves a key column out by its name, so only its type (which decides whether it
      // is skipped instead) can reach the output: its values are not kept.
      boolean screened = in.features().isEmpty() && !in.includeIdColumns();
      for (int j = 0; j < width; j++) {
        categorical[j] = in.categorical().contains(names.get(j));
        kindOnly[j] = screened && IdentifierColumns.isKeyColumn(names.get(j));
      }
      this.specials = in.specialValues();
      this.label = new LocalLabel(in.badValue());
    }

    Part range(FileChannel ch, long from, long to, AtomicBoolean stop) throws IOException {
      Part p = new Part(width);
      for (int j : read) {
        p.cols[j] = new Col();
      }
      int[] starts = new int[width + 1];
      LocalCsv.lines(ch, from, to, stop, (b, s, e) -> line(b, s, e, p, starts));
      return p;
    }

    private void line(byte[] b, int s, int e, Part p, int[] starts) {
      LocalCsv.row(header, b, s, e, starts);
      int y = label.classOf(b, starts[labelAt], starts[labelAt + 1] - 1, p.label);
      for (int j : read) {
        if (kindOnly[j]) {
          kind(p.cols[j], b, starts[j], starts[j + 1] - 1);
        } else {
          cell(p.cols[j], categorical[j], b, starts[j], starts[j + 1] - 1, y);
        }
      }
    }

    private void cell(Col c, boolean categorical, byte[] b, int s, int e, int y) {
      if (s == e) {
        c.nulls[y]++;
        return;
      }
      if (c.mode == UNSEEN) {
        c.start(kind(b, s, e), specials.length);
      }
      switch (c.mode) {
        case NUMBER -> {
          if (categorical) {
            if (!LocalCsv.integer(b, s, e)) {
              throw new NotLocal("a categorical column of numbers that are not all integers");
            }
            c.values[y].add(LocalCsv.longValue(b, s, e));
            return;
          }
          boolean whole = LocalCsv.integer(b, s, e);
          double v = LocalCsv.number(b, s, e);
          c.fraction |= !whole;
          v = LocalCsv.normalized(v);
          for (int k = 0; k < specials.length; k++) {
            if (v == specials[k]) {
              c.specials[k][y]++;
              return;
            }
          }
          c.values[y].add(FineBins.sortable(Double.doubleToRawLongBits(v)));
        }
        case BOOLEAN -> {
          if (!LocalLabel.bool(b, s, e)) {
            throw new NotLocal("a boolean column with another cell");
          }
          c.bools[e - s == TRUE.length ? 1 : 0][y]++;
        }
        default -> {
          if (padded(b, s, e)) {
            throw new NotLocal("a text cell padded with spaces");
          }
          LocalCsv.text(b, s, e);
          c.sawWord |= LocalCsv.word(b, s, e);
          long[] n = c.texts.get(new Text(b, s, e));
          if (n == null) {
            if (textValues.incrementAndGet() > MAX_TEXT_VALUES) {
              throw new NotLocal("more than " + MAX_TEXT_VALUES + " distinct text values");
            }
            n = new long[4];
            c.texts.put(new Text(b, s, e).copy(), n);
          }
          n[y]++;
        }
      }
    }

    /**
     * Checks that the cell fits its column's kind, as {@link #cell} does for the kind alone (a text
     * column's type is set by one word, whatever its other cells), keeping nothing.
     */
    private void kind(Col c, byte[] b, int s, int e) {
      if (s == e) {
        return;
      }
      if (c.mode == UNSEEN) {
        c.start(kind(b, s, e), 0);
      }
      switch (c.mode) {
        case NUMBER -> {
          LocalCsv.number(b, s, e);
          c.fraction |= !LocalCsv.integer(b, s, e);
        }
        case BOOLEAN -> {
          if (!LocalLabel.bool(b, s, e)) {
            throw new NotLocal("a boolean column with another cell");
          }
        }
        default -> c.sawWord |= LocalCsv.word(b, s, e);
      }
    }

    /** A column's kind from its first non-empty cell. */
    private static byte kind(byte[] b, int s, int e) {
      try {
        LocalCsv.number(b, s, e);
        return NUMBER;
      } catch (NotLocal notANumber) {
        return LocalLabel.bool(b, s, e) ? BOOLEAN : TEXT;
      }
    }

    private static boolean padded(byte[] b, int s, int e) {
      return b[s] == ' ' || b[e - 1] == ' ';
    }
  }
}
