package com.creditrisk.features;

import static org.apache.spark.sql.functions.col;

import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Function;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The window aggregates of an events source, one pass over each customer's stream in key order.
 *
 * <p>Why not window frames: Spark evaluates a sliding frame ({@code rangeBetween(-W, 0)}) for
 * every row of the stream, source rows included, and re-aggregates the whole frame each time it
 * moves. A customer's rows come in bursts before each application, so that work grows with the
 * square of the rows per customer and window: at 4M applications (48.7M rows) it was about half
 * of build-dataset's time (docs/benchmarks.md, issue 14). Here each source row is kept only while the longest window can still
 * reach it (every later application has a larger key), and the frames are read only at an
 * application: linear in rows, plus each application's rows in its windows.
 *
 * <p>The figures are Spark's own for the same frames: a sum adds the frame's values oldest first
 * from 0.0 (0 for no row), min and max keep the first of equal values, a mean is that sum over the
 * count of non-null values (null for none), and a distinct count is the size of the set of
 * non-null values.
 */
final class EventWindows implements FlatMapGroupsFunction<String, Row, Row> {
  private static final long serialVersionUID = 1L;

  private final long[] reach;        // per window: 2 * days * micros, the key distance it covers
  private final int[] function;      // per aggregate: Function ordinal
  private final int[] valueIndex;    // per aggregate: index of its column in the stream (-1: count)
  private final boolean[] integral;  // per aggregate: an int column (sum as long, min/max as int)
  private final int keyIndex;
  private final int appIndex;

  private EventWindows(long[] reach, int[] function, int[] valueIndex, boolean[] integral, int keyIndex, int appIndex) {
    this.reach = reach;
    this.function = function;
    this.valueIndex = valueIndex;
    this.integral = integral;
    this.keyIndex = keyIndex;
    this.appIndex = appIndex;
  }

  /**
   * @param stream customer_id, k (2 * micros, + 1 for a source row), __app (null for a source
   *     row) and the value columns
   * @return per application: __app, k, __last_k, __rows_before, __rows_of_customer and one column
   *     {@code __<feature>} per window and aggregate
   */
  static Dataset<Row> look(Dataset<Row> stream, List<Integer> windowsDays, List<Aggregate> aggregates,
      long microsPerDay) {
    StructType in = stream.schema();
    long[] reach = windowsDays.stream().mapToLong(w -> 2 * w * microsPerDay).toArray();
    int[] function = new int[aggregates.size()];
    int[] valueIndex = new int[aggregates.size()];
    boolean[] integral = new boolean[aggregates.size()];
    List<StructField> out = new ArrayList<>(List.of(
        DataTypes.createStructField("__app", DataTypes.StringType, false),
        DataTypes.createStructField("k", DataTypes.LongType, false),
        DataTypes.createStructField("__last_k", DataTypes.LongType, true),
        DataTypes.createStructField("__rows_before", DataTypes.LongType, false),
        DataTypes.createStructField("__rows_of_customer", DataTypes.LongType, false)));
    for (int i = 0; i < aggregates.size(); i++) {
      Aggregate a = aggregates.get(i);
      function[i] = a.function().ordinal();
      valueIndex[i] = a.column().map(in::fieldIndex).orElse(-1);
      DataType t = valueIndex[i] < 0 ? DataTypes.LongType : in.fields()[valueIndex[i]].dataType();
      integral[i] = t.equals(DataTypes.IntegerType);
      if (a.function() != Function.COUNT && a.function() != Function.DISTINCT
          && !t.equals(DataTypes.DoubleType) && !integral[i]) {
        throw new IllegalStateException(a.function() + " of a " + t.simpleString() + " column");
      }
    }
    for (int w : windowsDays) {
      for (int i = 0; i < aggregates.size(); i++) {
        Aggregate a = aggregates.get(i);
        DataType t = switch (a.function()) {
          case COUNT -> DataTypes.LongType;
          case SUM -> integral[i] ? DataTypes.LongType : DataTypes.DoubleType;
          case MIN, MAX -> integral[i] ? DataTypes.IntegerType : DataTypes.DoubleType;
          case MEAN -> DataTypes.DoubleType;
          case DISTINCT -> DataTypes.IntegerType;
        };
        boolean nullable = a.function() == Function.MIN || a.function() == Function.MAX
            || a.function() == Function.MEAN;
        out.add(DataTypes.createStructField("__" + a.featureName(w), t, nullable));
      }
    }
    EventWindows f = new EventWindows(reach, function, valueIndex, integral, in.fieldIndex("k"),
        in.fieldIndex("__app"));
    return stream.groupBy(col("customer_id")).as(Encoders.STRING(), Encoders.row(in))
        .flatMapSortedGroups(new Column[] {col("k")}, f, Encoders.row(DataTypes.createStructType(out)));
  }

  @Override
  public Iterator<Row> call(String customer, Iterator<Row> rows) {
    long longest = 0;
    for (long r : reach) {
      longest = Math.max(longest, r);
    }
    List<Row> window = new ArrayList<>();  // source rows the longest window may still reach, by key
    int head = 0;
    long seen = 0;
    Long lastKey = null;
    List<Object[]> looked = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      long k = r.getLong(keyIndex);
      if (r.isNullAt(appIndex)) {
        // A later application's key exceeds this one, so rows below k - longest are out of reach.
        head = evict(window, head, k - longest);
        window.add(r);
        seen++;
        lastKey = k;
        continue;
      }
      head = evict(window, head, k - longest);
      Object[] o = new Object[5 + reach.length * function.length];
      o[0] = r.getString(appIndex);
      o[1] = k;
      o[2] = lastKey;
      o[3] = seen;
      int at = 5;
      for (long w : reach) {
        int from = head;
        while (from < window.size() && window.get(from).getLong(keyIndex) < k - w) {
          from++;
        }
        for (int i = 0; i < function.length; i++) {
          o[at++] = aggregate(i, window, from);
        }
      }
      looked.add(o);
    }
    List<Row> out = new ArrayList<>(looked.size());
    for (Object[] o : looked) {
      o[4] = seen;
      out.add(RowFactory.create(o));
    }
    return out.iterator();
  }

  /** Drops the rows below a key from the front; compacts once half the list is dropped. */
  private int evict(List<Row> window, int head, long below) {
    int h = head;
    while (h < window.size() && window.get(h).getLong(keyIndex) < below) {
      h++;
    }
    if (h > 64 && h * 2 > window.size()) {
      window.subList(0, h).clear();
      return 0;
    }
    return h;
  }

  private Object aggregate(int i, List<Row> window, int from) {
    Function f = Function.values()[function[i]];
    int v = valueIndex[i];
    int n = window.size();
    switch (f) {
      case COUNT:
        return (long) (n - from);
      case DISTINCT: {
        Set<Object> set = new HashSet<>();
        for (int j = from; j < n; j++) {
          Object x = window.get(j).get(v);
          if (x != null) {
            set.add(x instanceof byte[] b ? ByteBuffer.wrap(b) : x);
          }
        }
        return set.size();
      }
      case SUM:
      case MEAN: {
        if (integral[i] && f == Function.SUM) {
          long s = 0;
          for (int j = from; j < n; j++) {
            if (!window.get(j).isNullAt(v)) {
              s = Math.addExact(s, window.get(j).getInt(v));
            }
          }
          return s;
        }
        double s = 0.0;
        long count = 0;
        for (int j = from; j < n; j++) {
          if (!window.get(j).isNullAt(v)) {
            s += integral[i] ? window.get(j).getInt(v) : window.get(j).getDouble(v);
            count++;
          }
        }
        return f == Function.SUM ? (Object) s : count == 0 ? null : (Object) (s / count);
      }
      case MIN:
      case MAX: {
        Double best = null;
        for (int j = from; j < n; j++) {
          if (!window.get(j).isNullAt(v)) {
            double x = integral[i] ? window.get(j).getInt(v) : window.get(j).getDouble(v);
            if (best == null || (f == Function.MIN ? x < best : x > best)) {
              best = x;
            }
          }
        }
        return best == null ? null : integral[i] ? (Object) best.intValue() : (Object) best;
      }
      default:
        throw new IllegalStateException(f.name());
    }
  }
}
