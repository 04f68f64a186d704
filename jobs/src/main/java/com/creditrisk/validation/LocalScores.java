package com.creditrisk.validation;

import com.creditrisk.io.LocalCsv;
import com.creditrisk.io.LocalCsv.NotLocal;
import com.creditrisk.io.LocalLabel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A scored CSV (and its baseline) counted in the JVM, without Spark, into the same
 * {@link DistinctValueCounts} the Spark job gives for a score and a label: the distinct scores
 * ascending with their bads and goods, the input checks' counts, the baseline's rows per score.
 *
 * <p>It reads only files whose every cell it can vouch for, and returns empty for anything else,
 * before any output, so the Spark path reads those as before, with its answers and its errors
 * (the file's spelling is {@link LocalCsv}'s):
 * <ul>
 *   <li>the file: {@link LocalCsv}'s spelling, and no line equal to the header line
 *       ({@link LocalCsv#row});
 *   <li>a score cell: empty (null to Spark) or a number of {@link LocalCsv#number}, which inference
 *       types int, long or double (never decimal, the one type whose conversion could differ), and
 *       which converts to the double {@link Double#parseDouble} gives, the value here;
 *   <li>the label: {@link LocalLabel}, the rule bin's local read follows too.
 * </ul>
 * A labelled row without a score, or one class only, also goes back, so every input error keeps the
 * Spark path's text and exit code. Scores are grouped as Spark groups doubles
 * ({@link LocalCsv#normalized}; NaN cannot occur). Two threads read the two halves of a large file,
 * cut at a line end.
 */
final class LocalScores {
  private LocalScores() {}

  /**
   * @param baseline the baseline file, or null
   * @return the counts, or empty when the files hold anything the Spark path must read (why is logged
   *     by the caller)
   */
  static DistinctValueCounts count(Path scores, Path baseline, ValidateScores.Input in) throws IOException {
    if (in.scoreCol().equals(in.labelCol())) {
      throw new NotLocal("the score and the label are one column");
    }
    LocalLabel label = new LocalLabel(in.badValue());
    Part cur = scan(scores, in.scoreCol(), in.labelCol(), label);
    if (cur.scoreValues == 0) {
      throw new NotLocal("no score in " + scores);
    }
    label.check(cur.label);
    if (cur.bads.size == 0 || cur.goods.size == 0) {
      throw new NotLocal("one class only");
    }
    DistinctValueCounts.Groups groups = groups(cur.bads.sorted(), cur.goods.sorted());
    double[] v = groups.values();
    Profile profile = new Profile(cur.rows, cur.nullLabel, 0, cur.bads.size, cur.goods.size, 0, 0, 0, v[0],
        v[v.length - 1]);
    DistinctValueCounts.Counted base = null;
    if (baseline != null) {
      Part b = scan(baseline, in.scoreCol(), null, null);
      if (b.scoreValues == 0) {
        throw new NotLocal("no score in " + baseline);
      }
      base = counted(b.goods.sorted());
    }
    return DistinctValueCounts.ofScores(profile, groups, base);
  }

  /** Distinct values ascending with bads and goods, from each class's sorted scores. */
  static DistinctValueCounts.Groups groups(double[] bads, double[] goods) {
    int nb = bads.length;
    int ng = goods.length;
    // Counted first, so the arrays are as long as the groups, not the rows.
    int k = 0;
    for (int i = 0, j = 0; i < nb || j < ng; k++) {
      double x = j == ng || (i < nb && bads[i] <= goods[j]) ? bads[i] : goods[j];
      while (i < nb && bads[i] == x) {
        i++;
      }
      while (j < ng && goods[j] == x) {
        j++;
      }
    }
    double[] v = new double[k];
    long[] b = new long[k];
    long[] g = new long[k];
    int i = 0;
    int j = 0;
    k = 0;
    while (i < nb || j < ng) {
      double x = j == ng || (i < nb && bads[i] <= goods[j]) ? bads[i] : goods[j];
      long cb = 0;
      long cg = 0;
      while (i < nb && bads[i] == x) {
        cb++;
        i++;
      }
      while (j < ng && goods[j] == x) {
        cg++;
        j++;
      }
      v[k] = x;
      b[k] = cb;
      g[k] = cg;
      k++;
    }
    return new DistinctValueCounts.Groups(v, b, g);
  }

  private static DistinctValueCounts.Counted counted(double[] sorted) {
    double[] v = new double[sorted.length];
    long[] c = new long[sorted.length];
    int k = 0;
    for (int i = 0; i < sorted.length; ) {
      int j = i;
      while (j < sorted.length && sorted[j] == sorted[i]) {
        j++;
      }
      v[k] = sorted[i];
      c[k] = j - i;
      k++;
      i = j;
    }
    return new DistinctValueCounts.Counted(Arrays.copyOf(v, k), Arrays.copyOf(c, k));
  }

  /** A growing array of doubles. */
  static final class Doubles {
    double[] a;
    int size;

    Doubles(int capacity) {
      a = new double[Math.max(16, capacity)];
    }

    void add(double x) {
      if (size == a.length) {
        if (a.length >= Integer.MAX_VALUE - 16) {
          throw new NotLocal("too many rows for one array");
        }
        a = Arrays.copyOf(a, (int) Math.min(Integer.MAX_VALUE - 16, a.length + (long) (a.length >> 1) + 16));
      }
      a[size++] = x;
    }

    void addAll(Doubles o) {
      if ((long) size + o.size > Integer.MAX_VALUE - 16) {
        throw new NotLocal("too many rows for one array");
      }
      if (size + o.size > a.length) {
        a = Arrays.copyOf(a, size + o.size);
      }
      System.arraycopy(o.a, 0, a, size, o.size);
      size += o.size;
    }

    double[] sorted() {
      double[] s = a.length == size ? a : Arrays.copyOf(a, size);
      a = null;
      Arrays.parallelSort(s);
      return s;
    }
  }

  /** The counts of one range of lines (or, for a baseline, its scores, all kept in goods). */
  static final class Part {
    final Doubles bads;
    final Doubles goods;
    long rows;
    long nullLabel;
    long scoreValues;
    final LocalLabel.Seen label = new LocalLabel.Seen();

    Part(int capacity) {
      bads = new Doubles(capacity / 8);
      goods = new Doubles(capacity);
    }

    void add(Part o) {
      bads.addAll(o.bads);
      goods.addAll(o.goods);
      rows += o.rows;
      nullLabel += o.nullLabel;
      scoreValues += o.scoreValues;
      label.add(o.label);
    }
  }

  /** The header, the columns a scan reads and how a label cell is classed (none for a baseline). */
  private record Wanted(LocalCsv.Header header, int score, int label, LocalLabel rule) {}

  private static Part scan(Path file, String scoreCol, String labelCol, LocalLabel rule) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      LocalCsv.Header header = LocalCsv.header(ch, file.toString());
      List<String> names = header.names();
      int score = names.indexOf(scoreCol);
      int label = labelCol == null ? -1 : names.indexOf(labelCol);
      if (score < 0 || (labelCol != null && label < 0)) {
        throw new NotLocal("a column is missing in " + file);
      }
      Wanted w = new Wanted(header, score, label, rule);
      Part all = null;
      for (Part p : LocalCsv.scan(ch, header.dataStart(), (from, to, stop) -> scanRange(ch, from, to, stop, w))) {
        if (all == null) {
          all = p;
        } else {
          all.add(p);
        }
      }
      return all;
    }
  }

  /** Every line starting in [from, to), which starts a line. */
  private static Part scanRange(FileChannel ch, long from, long to, AtomicBoolean stop, Wanted w) throws IOException {
    Part p = new Part((int) Math.min(Integer.MAX_VALUE - 16, (to - from) / 24 + 16));
    int[] starts = new int[w.header().names().size() + 1];
    LocalCsv.lines(ch, from, to, stop, (b, s, e) -> line(b, s, e, w, p, starts));
    return p;
  }

  /** One line [s, e) without its LF. */
  private static void line(byte[] b, int s, int e, Wanted w, Part p, int[] starts) {
    LocalCsv.row(w.header(), b, s, e, starts);
    p.rows++;
    double score = LocalCsv.number(b, starts[w.score()], starts[w.score() + 1] - 1);
    if (score == score) {
      p.scoreValues++;
    }
    if (w.label() < 0) {
      if (score == score) {
        p.goods.add(LocalCsv.normalized(score));
      }
      return;
    }
    int cls = w.rule().classOf(b, starts[w.label()], starts[w.label() + 1] - 1, p.label);
    if (cls == LocalLabel.UNLABELED) {
      p.nullLabel++;
      return;
    }
    if (score != score) {
      throw new NotLocal("a labelled row without a score");
    }
    (cls == LocalLabel.BAD ? p.bads : p.goods).add(LocalCsv.normalized(score));
  }
}
