package com.creditrisk.validation;

import com.creditrisk.io.LocalCsv;
import com.creditrisk.io.LocalCsv.NotLocal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
 *   <li>the file: a header naming the columns (no BOM, no empty, padded or case-insensitively
 *       repeated name, a score column not named like a number), lines ended by LF or CRLF, no empty
 *       line, no quote character, no control character, the header's number of fields on every line;
 *   <li>a score cell: empty (null to Spark) or {@code -?digits[.digits][(e|E)[+|-]digits]} where an
 *       integer has at most 18 digits and an exponent gives a scale other than 0 ({@link LocalCsv#number}:
 *       15e0 is a decimal to inference, 1.5E7 a double). Such cells make inference type the column int, long or double (never decimal, the
 *       one type whose conversion could differ), and each converts to the double
 *       {@link Double#parseDouble} gives, which is the value here. An infinite value goes back;
 *   <li>the label: a column of such numbers (0 and 1, or any numbers with a numeric
 *       {@code --bad-value}, compared as doubles as {@code BinFeatures.label} does), or, with
 *       {@code --bad-value}, a column with a word in it (a letter then letters, digits or
 *       underscores, not a spelling of true, false, NaN or infinity: {@link LocalCsv#word}), which inference types as a
 *       string: each cell is then compared with the bad value as text. A number cell whose two
 *       readings differ in such a column, a label other than 0/1 without {@code --bad-value}, a
 *       labelled row without a score, or one class only go back, so every input error keeps the
 *       Spark path's text and exit code.
 * </ul>
 * Scores are grouped as Spark groups doubles: -0.0 is 0.0 (NaN cannot occur). Two threads read the
 * two halves of a large file, cut at a line end.
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
    byte[] badBytes = in.badValue() == null ? null : in.badValue().getBytes(StandardCharsets.UTF_8);
    Double numericBad = in.badValue() == null ? null : parseBad(in.badValue());
    Part cur = scan(scores, in.scoreCol(), in.labelCol(), badBytes, numericBad);
    if (cur.scoreValues == 0) {
      throw new NotLocal("no score in " + scores);
    }
    if (cur.stringLabel ? cur.readingsDiffer : cur.needsStringLabel) {
      throw new NotLocal("the label's type decides its classes");
    }
    if (cur.bads.size == 0 || cur.goods.size == 0) {
      throw new NotLocal("one class only");
    }
    DistinctValueCounts.Groups groups = groups(cur.bads.sorted(), cur.goods.sorted());
    double[] v = groups.values();
    Profile profile = new Profile(cur.rows, cur.nullLabel, 0, cur.bads.size, cur.goods.size, 0, 0, 0, v[0],
        v[v.length - 1]);
    DistinctValueCounts.Counted base = null;
    if (baseline != null) {
      Part b = scan(baseline, in.scoreCol(), null, null, null);
      if (b.scoreValues == 0) {
        throw new NotLocal("no score in " + baseline);
      }
      base = counted(b.goods.sorted());
    }
    return DistinctValueCounts.ofScores(profile, groups, base);
  }

  /** {@code BinFeatures.label}'s reading of --bad-value as a number; null when it is none. */
  private static Double parseBad(String badValue) {
    try {
      return Double.valueOf(badValue.trim());
    } catch (NumberFormatException e) {
      return null;
    }
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
    boolean stringLabel;
    boolean readingsDiffer;
    boolean needsStringLabel;

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
      stringLabel |= o.stringLabel;
      readingsDiffer |= o.readingsDiffer;
      needsStringLabel |= o.needsStringLabel;
    }
  }

  /** The columns a scan reads and how a label cell is classed. */
  private record Wanted(int width, int score, int label, byte[] badBytes, Double numericBad) {}

  private static Part scan(Path file, String scoreCol, String labelCol, byte[] badBytes, Double numericBad)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      LocalCsv.Header header = LocalCsv.header(ch, file.toString());
      List<String> names = header.names();
      int score = names.indexOf(scoreCol);
      int label = labelCol == null ? -1 : names.indexOf(labelCol);
      if (score < 0 || (labelCol != null && label < 0)) {
        throw new NotLocal("a column is missing in " + file);
      }
      if (LocalCsv.numberLike(scoreCol)) {
        // Only then could a row equal the header line, which inference leaves out and the read keeps.
        throw new NotLocal("a score column named like a number");
      }
      Wanted w = new Wanted(names.size(), score, label, badBytes, numericBad);
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
    int[] cells = new int[4];
    LocalCsv.lines(ch, from, to, stop, (b, s, e) -> line(b, s, e, w, p, cells));
    return p;
  }

  /** One line [s, e) without its LF. */
  private static void line(byte[] b, int s, int e, Wanted w, Part p, int[] cells) {
    e = LocalCsv.lineEnd(b, s, e);
    int field = 0;
    int fieldStart = s;
    for (int i = s; i <= e; i++) {
      byte c = i < e ? b[i] : (byte) ',';
      if (c == ',') {
        if (field == w.score()) {
          cells[0] = fieldStart;
          cells[1] = i;
        } else if (field == w.label()) {
          cells[2] = fieldStart;
          cells[3] = i;
        }
        field++;
        fieldStart = i + 1;
      } else if ((c >= 0 && c < 0x20) || c == '"') {
        throw new NotLocal("a quote or control character");
      }
    }
    if (field != w.width()) {
      throw new NotLocal("a line with " + field + " fields, not " + w.width());
    }
    p.rows++;
    double score = LocalCsv.number(b, cells[0], cells[1]);
    if (score == score) {
      p.scoreValues++;
    }
    if (w.label() < 0) {
      if (score == score) {
        p.goods.add(score + 0.0);
      }
      return;
    }
    int cls = labelClass(b, cells[2], cells[3], w, p);
    if (cls < 0) {
      p.nullLabel++;
      return;
    }
    if (score != score) {
      throw new NotLocal("a labelled row without a score");
    }
    // + 0.0 turns -0.0 into 0.0, as Spark's grouping normalises it.
    (cls == 1 ? p.bads : p.goods).add(score + 0.0);
  }

  /** The label's class: 1 bad, 0 good, -1 null. */
  private static int labelClass(byte[] b, int s, int e, Wanted w, Part p) {
    if (s == e) {
      return -1;
    }
    boolean asText = w.badBytes() != null && Arrays.equals(b, s, e, w.badBytes(), 0, w.badBytes().length);
    if (LocalCsv.word(b, s, e)) {
      if (w.badBytes() == null) {
        throw new NotLocal("a label that is a word without --bad-value");
      }
      p.stringLabel = true;
      return asText ? 1 : 0;
    }
    double v = LocalCsv.number(b, s, e);
    if (w.badBytes() == null) {
      if (v == 1) {
        return 1;
      }
      if (v == 0) {
        return 0;
      }
      throw new NotLocal("a label other than 0/1");
    }
    if (w.numericBad() == null) {
      p.needsStringLabel = true;
      return asText ? 1 : 0;
    }
    boolean asNumber = v == w.numericBad();
    p.readingsDiffer |= asNumber != asText;
    return asNumber ? 1 : 0;
  }
}
