package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;

import com.creditrisk.io.LocalCsv;
import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The Spark side of fitting: from the rows to a small table of fine bins per feature, in one
 * query with one shuffle whatever the number of features.
 *
 * <p>The plan: each input task stacks its rows into (feature, value, label counts) cells, counting
 * equal values of a feature in a hash map while the feature has at most
 * {@link #MAX_DISTINCT_PER_TASK} distinct values in that task (fewer on a table of more than 32
 * features: {@link #MAX_COUNTED_PER_TASK}) and passing its cells through
 * uncounted beyond that (so a score of 601 values or a 20-grade PD ships hundreds of counts, and a
 * full-precision double, where counting would shrink nothing, costs no hash aggregation; its
 * one-row range cells travel as keys packed {@link #SINGLES_PER_ROW} to a row per label class); it
 * also counts the feature's labelled range cells. The rows come from the table ({@code Stack}) or,
 * for a sampled CSV file, from its lines ({@link TextCells}). The cells are hash-partitioned by feature, one
 * partition per feature ({@link #partitionKeys}). The reduce task reads its partition once: the
 * range totals, missing and special cells go to the feature's sweep at once, so it knows n before
 * the first value; the range and level cells go into primitive arrays ({@link CellRuns}: a one-row
 * cell is its 8-byte key in an array per label class), which it sorts itself, in the order Spark's
 * sort by (key, str) gave (levels by unsigned UTF-8 bytes, then range values by their sortable
 * key), and walks once, collapsing equal values, finding the exact quantile cuts and summing the
 * fine bins. A task holds at most {@link #MAX_BUFFERED_LONGS} of cells; beyond that it writes
 * sorted runs to Spark's local directories and merges them in the walk, so no task's heap grows
 * with the rows (Spark's row sorter, which this replaces, compared and moved whole rows, and in
 * local mode kept its buffers on the driver's heap).
 *
 * <p>The identifier screening of {@code bin} ({@link IdentifierColumns}) is decided in the same
 * reduce, not in a pass of its own: for a string column it is asked to screen, the task has
 * counted the column's non-null rows by the time it has read its partition, counts the distinct
 * levels in a walk that keeps nothing when the cells could be near-unique, and emits one
 * {@link #NEAR_UNIQUE} row with the two counts instead of the bins of a near-unique column
 * (details and the proof that the counts are {@code count} and {@code count_distinct}'s at
 * {@link #table(Dataset, List, Set, String, int, double[], Set)}).
 *
 * <p>Where it stops scaling: a feature's cells are sorted and swept by one task, so the fit uses at
 * most as many cores as there are features, and a continuous feature's task sorts every row of
 * the table (in sorted runs on disk beyond its bound; it does not fail, it slows).
 * Tables of many rows and few features on a large cluster would want the cells range-partitioned
 * by (feature, value) with running totals at each partition's start, at the price of a sampling
 * pass over the input.
 */
final class FineBins {
  static final String MISSING = "missing";
  static final String SPECIAL = "special";
  static final String RANGE = "range";
  static final String LEVEL = "level";
  /**
   * The kind of the one row a near-unique string column gets instead of its bins (see
   * {@link #table}): its distinct values and non-null rows, and the invalid labels of its missing
   * and level cells (where a sampled read's rejected rows go), never a value.
   */
  static final String NEAR_UNIQUE = "near_unique";

  /**
   * Distinct values of one feature an input task counts before it passes that feature's cells
   * through uncounted (about 1.7 MB of map a feature at most).
   */
  static final int MAX_DISTINCT_PER_TASK = 1 << 14;

  /**
   * Distinct values an input task counts over all features: on a wide table each feature's bound
   * is this over the number of features, so a task's maps stay under about 55 MB however many
   * features there are (a feature past its bound only ships more cells).
   */
  static final int MAX_COUNTED_PER_TASK = 1 << 19;

  /**
   * Longs of range and level cells a reduce task holds in memory before it writes them as a sorted
   * run to disk (a one-row cell costs one long, a counted cell five): 64 MB, so a feature of
   * 8M one-row cells sorts in memory in one {@code Arrays.sort}, and the heap a task needs does not
   * grow with the rows (in local mode the tasks run in the driver, whose heap must stay flat). The
   * arrays grow by doubling, so a task's cells take at most about three times that while one grows.
   */
  static final long MAX_BUFFERED_LONGS = 1L << 23;

  // Cell kinds. TOTAL carries a task's count of a feature's labelled range cells; MISSING_NAN is
  // kept apart from MISSING so that the missing bin's min and max follow the old definition
  // (NaN when a NaN cell is labelled).
  private static final int TOTAL = 0;
  private static final int MISSING_NULL = 1;
  private static final int MISSING_NAN = 2;
  private static final int SPECIAL_VALUE = 3;
  private static final int RANGE_VALUE = 4;
  private static final int LEVEL_VALUE = 5;
  // Range cells of one row each, all of one label class (key): their keys packed in "singles".
  private static final int SINGLE_VALUES = 6;

  /**
   * One-row range cells a task packs into one shuffled row per feature and label class: a row per
   * cell cost more in its encoding, shuffle and decoding than the reduce's sort of its key. On a
   * wide table a pack holds fewer ({@link #packedPerFeature}).
   */
  static final int SINGLES_PER_ROW = 4096;

  /**
   * Keys a task holds in its packs over all features and label classes: 4 MB whatever the number
   * of features.
   */
  static final int MAX_PACKED_PER_TASK = 1 << 19;

  // Label counts of a cell: labelled rows (non-null label), bads, null labels, invalid labels.
  private static final int N = 0;
  private static final int BADS = 1;
  private static final int UNLABELED = 2;
  private static final int INVALID = 3;
  /** The class of a null label, and of a label the fit rejects (the caller reads the table again). */
  static final int NO_LABEL = UNLABELED;
  static final int REJECTED_LABEL = INVALID;

  private static final StructType CELLS = new StructType()
      .add("part", DataTypes.IntegerType, false).add("kind", DataTypes.IntegerType, false)
      .add("key", DataTypes.LongType, false).add("str", DataTypes.StringType, true)
      .add("n", DataTypes.LongType, false).add("bads", DataTypes.LongType, false)
      .add("unlabeled", DataTypes.LongType, false).add("invalid", DataTypes.LongType, false)
      .add("singles", DataTypes.BinaryType, true);

  /** Columns of {@link #table}, read by {@link #collect}. */
  static final StructType TABLE = new StructType()
      .add("feature", DataTypes.StringType, false).add("kind", DataTypes.StringType, false)
      .add("fine", DataTypes.LongType, true).add("special", DataTypes.DoubleType, true)
      .add("level", DataTypes.StringType, true).add("count", DataTypes.LongType, false)
      .add("bads", DataTypes.LongType, false).add("min", DataTypes.DoubleType, true)
      .add("max", DataTypes.DoubleType, true).add("unlabeled", DataTypes.LongType, false)
      .add("invalid", DataTypes.LongType, false).add("distinct", DataTypes.LongType, true);

  private FineBins() {}

  /**
   * One collected row: a fine bin, a special value, a category or the missing values of a feature;
   * or a near-unique column's marker ({@link #NEAR_UNIQUE}: count = its non-null rows, distinct =
   * its distinct values, invalidLabels = those of its missing and level cells; distinct is null on
   * every other row).
   */
  record Row4(String feature, String kind, Long fine, Double special, String level, long count, long bads,
      Double min, Double max, long unlabeled, long invalidLabels, Long distinct) {}

  /**
   * The fine-bin table: feature, kind (missing | special | range | level), fine (range index),
   * special, level, count and bads of labelled rows, min and max labelled value, unlabeled rows
   * (null label), invalid labels (neither 0 nor 1) and distinct (null here; see the screening
   * overload for the {@link #NEAR_UNIQUE} rows that use it). Its size is bounded by features x (maxBins +
   * special values + 1) plus the categories, never by rows.
   *
   * <p>Per feature: a numeric value is missing when null or NaN, special when it equals one of
   * {@code specialValues}, else a range value (-0.0 counts as 0.0); a range value's fine bin is the
   * number of cut values below it, cut k (k = 1..G-1) being the order statistic x_(ceil(k n / G))
   * of the n labelled range values (DESIGN; bins right-closed). With C the cumulative count up to a
   * distinct value and P the count before it, min(G-1, floor(m G / n)) of the positions
   * ceil(k n / G) are at most m, so the value holds a cut iff that number grows from P to C.
   */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues) {
    return table(df, features, categorical, label, maxBins, specialValues, Set.of());
  }

  /**
   * {@link #table}, with the identifier screening of the string columns {@code screened} (a subset
   * of the categorical features) decided in the same pass: such a column that is near-unique
   * ({@link IdentifierColumns#nearUnique} on its distinct values and non-null rows) gets one
   * {@link #NEAR_UNIQUE} row instead of its rows, so no value of an identifier reaches the driver.
   *
   * <p>Its counts are those of {@code count(c)} and {@code count_distinct(c)} over the same rows:
   * the plan filters no row, and every row where the column is not null adds one to the labelled
   * or the unlabeled count of exactly one level cell (invalid labels count as labelled), so the
   * level cells' rows sum to the non-null rows, and the walk in byte order counts the distinct
   * values (for text that is valid UTF-8, as Spark's are from a CSV, equal bytes are equal strings).
   * The reduce task knows the rows before any level is walked; the level cells are at least the
   * distinct values, so a column whose cells cannot reach near-uniqueness (a category column,
   * counted per task) is swept at once. Otherwise the task first counts the distinct levels in a
   * walk of their own that keeps nothing (the cells, in memory or in sorted runs, stay for the
   * sweep), stopping as soon as the levels so far and the cells left cannot reach it, and sweeps
   * only a column that is not near-unique. It does not keep a column's rows until it is decided,
   * as those of an identifier are one per row and the tasks of local mode share the driver's heap.
   */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues, Set<String> screened) {
    return table(df, features, categorical, label, maxBins, specialValues, countedPerFeature(features.size()),
        MAX_BUFFERED_LONGS, screened);
  }

  /** {@link #table} with the per-task bound on counted values given (tests reach the pass-through with small data). */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues, int maxDistinctPerTask) {
    return table(df, features, categorical, label, maxBins, specialValues, maxDistinctPerTask, MAX_BUFFERED_LONGS);
  }

  /** {@link #table} with both per-task bounds given (tests reach the sorted runs and their merge with small data). */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues, int maxDistinctPerTask, long maxBufferedLongs) {
    return table(df, features, categorical, label, maxBins, specialValues, maxDistinctPerTask, maxBufferedLongs,
        Set.of());
  }

  /** {@link #table} with the screened columns and both per-task bounds given (tests force both down). */
  static Dataset<Row> table(Dataset<Row> df, List<String> features, Set<String> categorical, String label,
      int maxBins, double[] specialValues, int maxDistinctPerTask, long maxBufferedLongs, Set<String> screened) {
    int f = features.size();
    boolean[] cat = flags(features, categorical);
    boolean[] screen = screened(features, cat, screened);
    List<Column> cols = new ArrayList<>();
    cols.add(col(quote(label)).cast(DataTypes.DoubleType).as("y"));
    for (int i = 0; i < f; i++) {
      cols.add(col(quote(features.get(i))).cast(cat[i] ? DataTypes.StringType : DataTypes.DoubleType).as("c" + i));
    }
    int[] keys = partitionKeys(f);
    Dataset<Row> cells = df.select(cols.toArray(new Column[0]))
        .mapPartitions(new Stack(cat, specialValues.clone(), keys, maxDistinctPerTask), Encoders.row(CELLS));
    return swept(cells, features, screen, keys, maxBins, maxBufferedLongs);
  }

  /**
   * {@link #table} of a CSV file read as lines ({@link TextCells}: {@code plan} from its sampled
   * types), with the same cells, so the same rows, as the file read by Spark's CSV reader with
   * those types; a line outside the plan's grammar adds an invalid label to every feature.
   */
  static Dataset<Row> table(SparkSession spark, String path, TextCells.Plan plan, List<String> features,
      Set<String> categorical, int maxBins, double[] specialValues, Set<String> screened) {
    int f = features.size();
    boolean[] cat = flags(features, categorical);
    int[] keys = partitionKeys(f);
    Dataset<Row> cells = spark.read().text(path)
        .select(col("value").cast(DataTypes.BinaryType), functions.input_file_block_start())
        .mapPartitions(new TextCells(plan, cat, specialValues.clone(), keys, countedPerFeature(f)),
            Encoders.row(CELLS));
    return swept(cells, features, screened(features, cat, screened), keys, maxBins, MAX_BUFFERED_LONGS);
  }

  /** Whether each feature is in {@code set}. */
  private static boolean[] flags(List<String> features, Set<String> set) {
    boolean[] in = new boolean[features.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = set.contains(features.get(i));
    }
    return in;
  }

  /** Whether each feature is a categorical one the identifier screening is asked for. */
  private static boolean[] screened(List<String> features, boolean[] cat, Set<String> screened) {
    boolean[] s = flags(features, screened);
    for (int i = 0; i < s.length; i++) {
      s[i] &= cat[i];
    }
    return s;
  }

  /** The keys of one label class a task packs per feature (see {@link #MAX_PACKED_PER_TASK}). */
  static int packedPerFeature(int features) {
    return Math.max(16, Math.min(SINGLES_PER_ROW, MAX_PACKED_PER_TASK / (4 * Math.max(1, features))));
  }

  /** The distinct values an input task counts per feature (see {@link #MAX_COUNTED_PER_TASK}). */
  private static int countedPerFeature(int features) {
    return Math.max(1, Math.min(MAX_DISTINCT_PER_TASK, MAX_COUNTED_PER_TASK / Math.max(1, features)));
  }

  private static Dataset<Row> swept(Dataset<Row> cells, List<String> features, boolean[] screen, int[] keys,
      int maxBins, long maxBufferedLongs) {
    return cells.repartition(features.size(), col("part"))
        .mapPartitions(new Sweep(features.toArray(new String[0]), screen, keys, maxBins, maxBufferedLongs),
            Encoders.row(TABLE));
  }

  /**
   * Per feature i, a partition key whose Spark hash partition among {@code features} partitions is
   * i (HashPartitioning: Murmur3 with seed 42, then pmod), so each feature's cells get a task of
   * their own instead of sharing one by hash collision. Were Spark's hashing to change, features
   * would share tasks: slower, still exact, since the sweep keeps each feature's state apart.
   */
  static int[] partitionKeys(int features) {
    int[] keys = new int[features];
    boolean[] taken = new boolean[features];
    int left = features;
    for (int k = 0; left > 0; k++) {
      int p = Math.floorMod(Murmur3_x86_32.hashInt(k, 42), features);
      if (!taken[p]) {
        taken[p] = true;
        keys[p] = k;
        left--;
      }
    }
    return keys;
  }

  /** A long whose signed order is the double's numeric order (-0.0 already made 0.0, never NaN); its own inverse. */
  static long sortable(long bits) {
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  private static double valueOf(long key) {
    return Double.longBitsToDouble(sortable(key));
  }

  /** The input side: one task's rows stacked into counted or single cells, with its range totals. */
  private static final class Stack implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final boolean[] cat;
    private final double[] specials;
    private final int[] keys;
    private final int maxDistinct;

    Stack(boolean[] cat, double[] specials, int[] keys, int maxDistinct) {
      this.cat = cat;
      this.specials = specials;
      this.keys = keys;
      this.maxDistinct = maxDistinct;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      return new TaskCells(cat, specials, keys, maxDistinct).stacked(rows, this::stack);
    }

    private void stack(Row r, TaskCells t) {
      int y = labelOf(r);
      for (int i = 0; i < cat.length; i++) {
        int c = i + 1;
        if (r.isNullAt(c)) {
          t.missing(i, y);
        } else if (cat[i]) {
          t.level(i, r.getString(c), y);
        } else {
          t.number(i, r.getDouble(c), y);
        }
      }
    }

    /** The label's class: N for a good (0), BADS for 1, UNLABELED for null, INVALID otherwise (NaN included). */
    private static int labelOf(Row r) {
      if (r.isNullAt(0)) {
        return UNLABELED;
      }
      return labelClass(r.getDouble(0));
    }
  }

  /** The class of a non-null label: N for a good (0), BADS for 1, INVALID otherwise (NaN included). */
  static int labelClass(double y) {
    return y == 1.0 ? BADS : y == 0.0 ? N : INVALID;
  }

  /**
   * One input task's cells, whatever reads its rows ({@link Stack}, {@link TextCells}): a
   * feature's values counted in a hash map while it has at most {@code maxDistinct} distinct
   * values in the task, passed through one by one beyond that; missing cells and labelled range
   * cells counted apart, emitted at the end.
   */
  static final class TaskCells {
    private final boolean[] cat;
    private final double[] specials;
    private final int[] keys;
    private final int maxDistinct;
    private final List<Map<Object, long[]>> counted = new ArrayList<>();
    private final long[][] nulls;
    private final long[][] nans;
    private final long[] totals;
    private final long[][][] singles;
    private final int[][] singleCount;
    private final int packSize;
    private final ArrayDeque<Row> out = new ArrayDeque<>();

    TaskCells(boolean[] cat, double[] specials, int[] keys, int maxDistinct) {
      this.cat = cat;
      this.specials = specials;
      this.keys = keys;
      this.maxDistinct = maxDistinct;
      int f = cat.length;
      nulls = new long[f][4];
      nans = new long[f][4];
      totals = new long[f];
      singles = new long[f][4][];
      singleCount = new int[f][4];
      packSize = packedPerFeature(f);
      for (int i = 0; i < f; i++) {
        counted.add(new HashMap<>());
      }
    }

    /** Reads the task's inputs one at a time, as its cells are asked for. */
    <T> Iterator<Row> stacked(Iterator<T> in, java.util.function.BiConsumer<T, TaskCells> read) {
      return new Iterator<>() {
        private boolean done;

        @Override
        public boolean hasNext() {
          while (out.isEmpty() && !done) {
            if (in.hasNext()) {
              read.accept(in.next(), TaskCells.this);
            } else {
              finish();
              done = true;
            }
          }
          return !out.isEmpty();
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return out.poll();
        }
      };
    }

    /** A null cell of feature i, label class y. */
    void missing(int i, int y) {
      add(nulls[i], y, 1);
    }

    /** A numeric cell of feature i: missing when NaN, else special or a range value (-0.0 as 0.0). */
    void number(int i, double v, int y) {
      if (Double.isNaN(v)) {
        add(nans[i], y, 1);
        return;
      }
      v = LocalCsv.normalized(v);
      int kind = isSpecial(v) ? SPECIAL_VALUE : RANGE_VALUE;
      if (kind == RANGE_VALUE && y != UNLABELED) {
        totals[i]++;
      }
      cell(i, kind, sortable(Double.doubleToRawLongBits(v)), null, y);
    }

    /** A level of categorical feature i. */
    void level(int i, String s, int y) {
      cell(i, LEVEL_VALUE, Long.MIN_VALUE, s, y);
    }

    /** Counts the cell under its value, or emits it alone once the feature has too many values. */
    private void cell(int i, int kind, long key, String str, int y) {
      Map<Object, long[]> m = counted.get(i);
      if (m != null) {
        Object k = str != null ? str : (Object) key;
        long[] c = m.get(k);
        if (c == null && m.size() < maxDistinct) {
          c = new long[] {0, 0, 0, 0, kind};
          m.put(k, c);
        }
        if (c != null) {
          add(c, y, 1);
          return;
        }
        flush(i, m);
        counted.set(i, null);
      }
      if (kind == RANGE_VALUE) {
        single(i, y, key);
        return;
      }
      long[] one = new long[4];
      add(one, y, 1);
      out.add(row(keys[i], kind, key, str, one));
    }

    private void flush(int i, Map<Object, long[]> m) {
      for (Map.Entry<Object, long[]> e : m.entrySet()) {
        long[] c = e.getValue();
        boolean level = e.getKey() instanceof String;
        out.add(row(keys[i], (int) c[4], level ? Long.MIN_VALUE : (Long) e.getKey(),
            level ? (String) e.getKey() : null, c));
      }
    }

    private void finish() {
      for (int i = 0; i < cat.length; i++) {
        if (counted.get(i) != null) {
          flush(i, counted.get(i));
        }
        for (int y = 0; y < 4; y++) {
          emitSingles(i, y);
        }
        if (nulls[i][N] + nulls[i][UNLABELED] > 0) {
          out.add(row(keys[i], MISSING_NULL, Long.MIN_VALUE, null, nulls[i]));
        }
        if (nans[i][N] + nans[i][UNLABELED] > 0) {
          out.add(row(keys[i], MISSING_NAN, Long.MIN_VALUE, null, nans[i]));
        }
        if (totals[i] > 0) {
          out.add(row(keys[i], TOTAL, Long.MIN_VALUE, null, new long[] {totals[i], 0, 0, 0}));
        }
      }
    }

    private boolean isSpecial(double v) {
      for (double s : specials) {
        if (v == s) {
          return true;
        }
      }
      return false;
    }

    /** Adds w cells of label class y: every non-null label counts in N. */
    private static void add(long[] c, int y, long w) {
      if (y == UNLABELED) {
        c[UNLABELED] += w;
      } else {
        c[N] += w;
        if (y != N) {
          c[y] += w;
        }
      }
    }

    /** Adds a one-row range cell of feature i and label class y to its pack, emitted when full. */
    private void single(int i, int y, long key) {
      long[] a = singles[i][y];
      if (a == null) {
        a = new long[packSize];
        singles[i][y] = a;
      }
      a[singleCount[i][y]++] = key;
      if (singleCount[i][y] == packSize) {
        emitSingles(i, y);
      }
    }

    private void emitSingles(int i, int y) {
      int n = singleCount[i][y];
      if (n == 0) {
        return;
      }
      byte[] packed = new byte[n * Long.BYTES];
      ByteBuffer.wrap(packed).asLongBuffer().put(singles[i][y], 0, n);
      singleCount[i][y] = 0;
      out.add(RowFactory.create(keys[i], SINGLE_VALUES, (long) y, null, 0L, 0L, 0L, 0L, packed));
    }

    private static Row row(int part, int kind, long key, String str, long[] c) {
      return RowFactory.create(part, kind, key, str, c[N], c[BADS], c[UNLABELED], c[INVALID], null);
    }
  }

  /**
   * The reduce side: a partition's cells read once, the small ones (range totals, missing and
   * special values) fed to their feature at once, the range and level cells held in
   * {@link CellRuns} (spilled as sorted runs to the executor's local directories beyond
   * {@code maxBufferedLongs}), then each feature swept in value order.
   */
  private static final class Sweep implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private final String[] features;
    private final boolean[] screened;
    private final int[] keys;
    private final int maxBins;
    private final long maxBufferedLongs;

    Sweep(String[] features, boolean[] screened, int[] keys, int maxBins, long maxBufferedLongs) {
      this.features = features;
      this.screened = screened;
      this.keys = keys;
      this.maxBins = maxBins;
      this.maxBufferedLongs = maxBufferedLongs;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> cells) {
      Map<Integer, Feature> byKey = new HashMap<>();
      Map<Integer, CellRuns> held = new LinkedHashMap<>();
      Set<Integer> screenedKeys = new HashSet<>();
      for (int i = 0; i < features.length; i++) {
        byKey.put(keys[i], new Feature(features[i], maxBins));
        if (screened[i]) {
          screenedKeys.add(keys[i]);
        }
      }
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) ctx -> held.values().forEach(CellRuns::delete));
      }
      long buffered = 0;
      while (cells.hasNext()) {
        Row r = cells.next();
        int part = r.getInt(0);
        Feature s = byKey.get(part);
        long[] c = {r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7)};
        switch (r.getInt(1)) {
          case TOTAL -> s.total += c[N];
          case MISSING_NULL -> s.missing(c, false);
          case MISSING_NAN -> s.missing(c, true);
          case SPECIAL_VALUE -> s.special(r.getLong(2), c);
          case RANGE_VALUE -> buffered += held.computeIfAbsent(part, k -> new CellRuns()).range(r.getLong(2), c);
          case SINGLE_VALUES -> buffered += held.computeIfAbsent(part, k -> new CellRuns())
              .singles((int) r.getLong(2), (byte[]) r.get(8));
          default -> buffered += held.computeIfAbsent(part, k -> new CellRuns()).level(r.getString(3), c);
        }
        if (buffered > maxBufferedLongs) {
          held.values().forEach(h -> h.spill(Sweep::runFile));
          buffered = 0;
        }
      }
      List<Row4> out = new ArrayList<>();
      byKey.forEach((part, s) -> {
        CellRuns h = held.get(part);
        if (h != null) {
          if (screenedKeys.contains(part)) {
            long distinct = nearUniqueDistinct(h);
            if (distinct >= 0) {
              out.add(new Row4(s.name, NEAR_UNIQUE, null, null, null, h.levelRows(), 0, null, null, 0,
                  s.missing.c[INVALID] + h.levelInvalid(), distinct));
              h.delete();
              return;
            }
          }
          h.sweep(s, out);
        }
        s.finish(out);
      });
      return out.stream().map(b -> RowFactory.create(b.feature(), b.kind(), b.fine(), b.special(), b.level(),
          b.count(), b.bads(), b.min(), b.max(), b.unlabeled(), b.invalidLabels(), b.distinct())).iterator();
    }

    /** A string column's distinct values when it is near-unique, else -1 (see {@link #table}). */
    private static long nearUniqueDistinct(CellRuns h) {
      long nonNull = h.levelRows();
      if (!IdentifierColumns.nearUnique(h.levelCells(), nonNull)) {
        return -1;
      }
      long distinct = h.distinctLevels(most -> IdentifierColumns.nearUnique(most, nonNull));
      return distinct >= 0 && IdentifierColumns.nearUnique(distinct, nonNull) ? distinct : -1;
    }

    /** A new file in the executor's local directories (spark.local.dir), as Spark's own spills use. */
    private static File runFile() {
      return SparkEnv.get().blockManager().diskBlockManager().createTempLocalBlock()._2();
    }
  }

  /** Counts, bads, null and invalid labels, and the lowest and highest labelled value of a bin. */
  private static final class Bin {
    private boolean seen;
    private final long[] c = new long[4];
    private Double min;
    private Double max;

    void add(long[] counts, Double value) {
      seen = true;
      for (int k = 0; k < 4; k++) {
        c[k] += counts[k];
      }
      if (counts[N] > 0 && value != null) {
        min = min == null || value < min ? value : min;
        max = max == null || value > max ? value : max;
      }
    }

    Row4 row(String feature, String kind, Long fine, Double special, String level) {
      return new Row4(feature, kind, fine, special, level, c[N], c[BADS], min, max, c[UNLABELED], c[INVALID], null);
    }
  }

  /**
   * One feature's state in the sweep, fed its cells with the counts N, BADS, UNLABELED, INVALID:
   * the labelled range total first, then the missing, special, range and level cells in any order
   * but for the range values, ascending, and the levels, in Spark's string order (unsigned UTF-8
   * bytes); equal values may come as one cell or many. The fine bins come out in {@code out}.
   */
  static final class Feature {
    private final String name;
    private final long g;
    long total;
    private final Bin missing = new Bin();
    private final TreeMap<Double, Bin> specials = new TreeMap<>();
    // The distinct range value being collapsed, and the fine bin being summed.
    private boolean inValue;
    private long valueKey;
    private final long[] value = new long[4];
    private long cum;
    private long fine;
    private Bin bin;
    private long binFine;
    private String level;
    private Bin levelBin;

    Feature(String name, int maxBins) {
      this.name = name;
      this.g = maxBins;
    }

    /** The missing bin's min and max are NaN once a NaN cell is labelled, as Spark's min and max over them give. */
    void missing(long[] c, boolean nan) {
      missing.add(c, null);
      if (nan && c[N] > 0) {
        missing.min = Double.NaN;
        missing.max = Double.NaN;
      }
    }

    void special(long key, long[] c) {
      double v = valueOf(key);
      specials.computeIfAbsent(v, k -> new Bin()).add(c, v);
    }

    void range(long key, long[] c, List<Row4> out) {
      if (inValue && key != valueKey) {
        closeValue(out);
      }
      inValue = true;
      valueKey = key;
      for (int k = 0; k < 4; k++) {
        value[k] += c[k];
      }
    }

    /** The collapsed value joins fine bin {@code fine}; a cut position in it starts the next bin. */
    private void closeValue(List<Row4> out) {
      if (bin != null && binFine != fine) {
        out.add(bin.row(name, RANGE, binFine, null, null));
        bin = null;
      }
      if (bin == null) {
        bin = new Bin();
        binFine = fine;
      }
      bin.add(value, valueOf(valueKey));
      long n = value[N];
      if (positions(cum + n) > positions(cum)) {
        fine++;
      }
      cum += n;
      Arrays.fill(value, 0);
      inValue = false;
    }

    /** min(G - 1, floor(m G / n)): how many quantile positions ceil(k n / G) are at most m. */
    private long positions(long m) {
      return total == 0 ? 0 : Math.min(g - 1, Math.multiplyExact(m, g) / total);
    }

    void level(String s, long[] c, List<Row4> out) {
      if (levelBin != null && !s.equals(level)) {
        out.add(levelBin.row(name, LEVEL, null, null, level));
        levelBin = null;
      }
      if (levelBin == null) {
        levelBin = new Bin();
        level = s;
      }
      levelBin.add(c, null);
    }

    void finish(List<Row4> out) {
      if (inValue) {
        closeValue(out);
      }
      if (bin != null) {
        out.add(bin.row(name, RANGE, binFine, null, null));
      }
      if (levelBin != null) {
        out.add(levelBin.row(name, LEVEL, null, null, level));
      }
      specials.forEach((v, b) -> out.add(b.row(name, SPECIAL, null, v, null)));
      if (missing.seen) {
        out.add(missing.row(name, MISSING, null, null, null));
      }
    }
  }

  /** Collects the fine-bin table (small: see {@link #table}). */
  static List<Row4> collect(Dataset<Row> table) {
    List<Row4> out = new ArrayList<>();
    for (Row r : table.collectAsList()) {
      out.add(new Row4(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getLong(2),
          r.isNullAt(3) ? null : r.getDouble(3), r.isNullAt(4) ? null : r.getString(4),
          r.getLong(5), r.getLong(6), r.isNullAt(7) ? null : r.getDouble(7),
          r.isNullAt(8) ? null : r.getDouble(8), r.getLong(9), r.getLong(10), r.isNullAt(11) ? null : r.getLong(11)));
    }
    return out;
  }

  /** A column name as a Spark SQL identifier: back-quoted, inner back-quotes doubled. */
  static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
