package com.creditrisk.binning;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * One feature's range and level cells on the reduce side of {@link FineBins#table}, sorted in
 * primitive arrays and fed to its {@link FineBins.Feature} in the order the sweep needs: range
 * values by their sortable key (signed long order, the double's numeric order), levels by their
 * unsigned UTF-8 bytes (Spark's string order).
 *
 * <p>A cell of one row (most cells of a continuous feature) is kept as its key alone, in one array
 * per label class (good, bad, unlabeled, invalid); a counted cell as its key and four counts; a
 * level as its bytes and counts. When the task's cells outgrow its bound, each feature's cells are
 * sorted and written as a run to a file the caller supplies, and the sweep k-way merges the runs
 * with what is still in memory. Equal values may come from several runs or arrays: the sweep
 * collapses them.
 *
 * <p>It also counts the level cells and the rows in them as they come, and can count the distinct
 * levels in a walk of its own ({@link #distinctLevels}) before the sweep: {@link FineBins} decides
 * a string column's near-uniqueness ({@link IdentifierColumns}) that way without emitting its levels.
 */
final class CellRuns {
  private static final int N = 0;
  private static final int BADS = 1;
  private static final int UNLABELED = 2;
  private static final int INVALID = 3;
  private static final int CLASSES = 4;
  // A counted cell in memory and on disk: its key, then N, BADS, UNLABELED, INVALID.
  private static final int STRIDE = 5;
  private static final int IO_BUFFER = 1 << 16;

  /** The counts of one row of each label class, in the order N, BADS, UNLABELED, INVALID. */
  private static final long[][] ONE = {{1, 0, 0, 0}, {1, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 1}};

  private final long[][] singles = new long[CLASSES][];
  private final int[] singleCount = new int[CLASSES];
  private long[] counted = new long[0];
  private int countedCount;
  private final List<Level> levels = new ArrayList<>();
  private final List<Run> runs = new ArrayList<>();
  private long levelCells;
  private long levelRows;
  private long levelInvalid;
  // Whether the cells in memory are sorted, so a sweep after a distinct count sorts nothing again.
  private boolean sorted;

  CellRuns() {
    Arrays.fill(singles, new long[0]);
  }

  /** A level's UTF-8 bytes and its counts (N, BADS, UNLABELED, INVALID). */
  private record Level(byte[] utf8, long[] counts) {}

  /** One spilled run: its file and how many entries each section holds, in file order. */
  private record Run(File file, int[] singles, int counted, int levels) {}

  /** Adds a range cell; returns the longs it holds in memory. */
  int range(long key, long[] c) {
    int cls = singleClass(c);
    if (cls >= 0) {
      long[] a = singles[cls];
      int n = singleCount[cls];
      if (n == a.length) {
        a = Arrays.copyOf(a, Math.max(16, n * 2));
        singles[cls] = a;
      }
      a[n] = key;
      singleCount[cls] = n + 1;
      sorted = false;
      return 1;
    }
    if ((countedCount + 1) * STRIDE > counted.length) {
      counted = Arrays.copyOf(counted, Math.max(16 * STRIDE, counted.length * 2));
    }
    int at = countedCount * STRIDE;
    counted[at] = key;
    System.arraycopy(c, 0, counted, at + 1, CLASSES);
    countedCount++;
    sorted = false;
    return STRIDE;
  }

  /**
   * Adds range cells of one row each, all of label class {@code cls}, their keys packed as
   * big-endian longs; returns the longs it holds in memory.
   */
  int singles(int cls, byte[] packed) {
    int n = packed.length / Long.BYTES;
    long[] a = singles[cls];
    int have = singleCount[cls];
    if (have + n > a.length) {
      a = Arrays.copyOf(a, Math.max(16, Math.max(have + n, a.length * 2)));
      singles[cls] = a;
    }
    ByteBuffer.wrap(packed).asLongBuffer().get(a, have, n);
    singleCount[cls] = have + n;
    sorted = false;
    return n;
  }

  /** Adds a level cell; returns about the longs it holds in memory (bytes, counts and headers). */
  int level(String s, long[] c) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    levels.add(new Level(b, c.clone()));
    levelCells++;
    levelRows += c[N] + c[UNLABELED];
    levelInvalid += c[INVALID];
    sorted = false;
    return 12 + (b.length + 7) / 8;
  }

  /** The level cells added so far, spilled ones included: at least the distinct levels. */
  long levelCells() {
    return levelCells;
  }

  /** The invalid labels in the level cells added so far. */
  long levelInvalid() {
    return levelInvalid;
  }

  /** The rows in the level cells added so far (labelled or not): a string column's non-null rows. */
  long levelRows() {
    return levelRows;
  }

  /** The class of a cell of one row, or -1 for a counted cell. */
  private static int singleClass(long[] c) {
    if (c[N] + c[UNLABELED] != 1) {
      return -1;
    }
    if (c[UNLABELED] == 1) {
      return c[BADS] == 0 && c[INVALID] == 0 ? UNLABELED : -1;
    }
    if (c[BADS] == 1) {
      return c[INVALID] == 0 ? BADS : -1;
    }
    return c[BADS] == 0 ? (c[INVALID] == 1 ? INVALID : c[INVALID] == 0 ? N : -1) : -1;
  }

  /** Sorts the cells in memory in place (before a spill or the sweep). */
  private void sortInMemory() {
    if (sorted) {
      return;
    }
    sorted = true;
    for (int k = 0; k < CLASSES; k++) {
      Arrays.sort(singles[k], 0, singleCount[k]);
    }
    heapSort(counted, countedCount);
    levels.sort((x, y) -> Arrays.compareUnsigned(x.utf8, y.utf8));
  }

  /** Writes the cells in memory as one sorted run to {@code files.get()}, then drops them. */
  void spill(Supplier<File> files) {
    if (Arrays.stream(singleCount).sum() + countedCount + levels.size() == 0) {
      return;
    }
    sortInMemory();
    File file = files.get();
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(file),
        IO_BUFFER))) {
      for (int k = 0; k < CLASSES; k++) {
        for (int i = 0; i < singleCount[k]; i++) {
          out.writeLong(singles[k][i]);
        }
      }
      for (int i = 0; i < countedCount * STRIDE; i++) {
        out.writeLong(counted[i]);
      }
      for (Level l : levels) {
        out.writeInt(l.utf8.length);
        out.write(l.utf8);
        for (long v : l.counts) {
          out.writeLong(v);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a sorted run of fine-bin cells to " + file, e);
    }
    runs.add(new Run(file, singleCount.clone(), countedCount, levels.size()));
    sorted = false;
    Arrays.fill(singles, new long[0]);
    Arrays.fill(singleCount, 0);
    counted = new long[0];
    countedCount = 0;
    levels.clear();
  }

  /**
   * Feeds every cell to {@code f}, the levels in byte order and then the range values ascending, as
   * Spark's sort by (key, str) put them (a level's key sorts before every range value's).
   */
  void sweep(FineBins.Feature f, List<FineBins.Row4> out) {
    sortInMemory();
    List<DataInputStream> open = new ArrayList<>();
    try {
      PriorityQueue<LevelSource> lq = levelQueue(open);
      PriorityQueue<RangeSource> rq = new PriorityQueue<>(Comparator.comparingLong(s -> s.key));
      for (int k = 0; k < CLASSES; k++) {
        offer(rq, new MemorySingles(singles[k], singleCount[k], ONE[k]));
      }
      offer(rq, new MemoryCounted(counted, countedCount));
      for (Run r : runs) {
        long at = 0;
        for (int k = 0; k < CLASSES; k++) {
          if (r.singles[k] > 0) {
            offer(rq, new FileRange(open(r.file, at, open), r.singles[k], ONE[k]));
          }
          at += 8L * r.singles[k];
        }
        if (r.counted > 0) {
          offer(rq, new FileRange(open(r.file, at, open), r.counted, null));
        }
      }
      while (!lq.isEmpty()) {
        LevelSource s = lq.poll();
        f.level(new String(s.utf8, StandardCharsets.UTF_8), s.counts, out);
        offer(lq, s);
      }
      while (!rq.isEmpty()) {
        RangeSource s = rq.poll();
        f.range(s.key, s.counts, out);
        offer(rq, s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read a sorted run of fine-bin cells", e);
    } finally {
      close(open);
      delete();
    }
  }

  /**
   * The distinct levels (equal UTF-8 bytes, as the sweep collapses them), counted in a walk of the
   * levels in byte order that keeps nothing; or -1 once {@code worthCounting} rejects the most the
   * count could still reach (the levels so far plus the level cells not yet walked). The cells stay
   * for {@link #sweep}.
   */
  long distinctLevels(LongPredicate worthCounting) {
    sortInMemory();
    List<DataInputStream> open = new ArrayList<>();
    try {
      PriorityQueue<LevelSource> lq = levelQueue(open);
      long distinct = 0;
      long walked = 0;
      byte[] last = null;
      while (!lq.isEmpty()) {
        LevelSource s = lq.poll();
        if (last == null || !Arrays.equals(last, s.utf8)) {
          distinct++;
          last = s.utf8;
        }
        walked++;
        if (!worthCounting.test(distinct + levelCells - walked)) {
          return -1;
        }
        offer(lq, s);
      }
      return distinct;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read a sorted run of fine-bin cells", e);
    } finally {
      close(open);
    }
  }

  /** The level cells in memory and in every run, merged in byte order (streams opened into {@code open}). */
  private PriorityQueue<LevelSource> levelQueue(List<DataInputStream> open) throws IOException {
    PriorityQueue<LevelSource> lq = new PriorityQueue<>((x, y) -> Arrays.compareUnsigned(x.utf8, y.utf8));
    offer(lq, new MemoryLevels(levels));
    for (Run r : runs) {
      if (r.levels > 0) {
        long at = 8L * (Arrays.stream(r.singles).asLongStream().sum() + (long) STRIDE * r.counted);
        offer(lq, new FileLevels(open(r.file, at, open), r.levels));
      }
    }
    return lq;
  }

  private static void close(List<DataInputStream> open) {
    for (DataInputStream in : open) {
      try {
        in.close();
      } catch (IOException ignored) {
        // Only read from; the file is deleted with the task either way.
      }
    }
  }

  /** Deletes this feature's run files (also called when the task ends, whatever its outcome). */
  void delete() {
    for (Run r : runs) {
      r.file.delete();
    }
    runs.clear();
  }

  private static DataInputStream open(File file, long at, List<DataInputStream> open) throws IOException {
    FileInputStream in = new FileInputStream(file);
    DataInputStream d = new DataInputStream(new BufferedInputStream(in, IO_BUFFER));
    open.add(d);
    in.getChannel().position(at);
    return d;
  }

  private static <S extends Source> void offer(PriorityQueue<S> q, S s) throws IOException {
    if (s.advance()) {
      q.add(s);
    }
  }

  private static long[] readCounts(DataInputStream in, long[] counts) throws IOException {
    for (int k = 0; k < CLASSES; k++) {
      counts[k] = in.readLong();
    }
    return counts;
  }

  /** In-place heap sort of {@code n} entries of {@link #STRIDE} longs by their first long. */
  private static void heapSort(long[] a, int n) {
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(a, i, n);
    }
    for (int end = n - 1; end > 0; end--) {
      swap(a, 0, end);
      siftDown(a, 0, end);
    }
  }

  private static void siftDown(long[] a, int i, int n) {
    while (true) {
      int child = 2 * i + 1;
      if (child >= n) {
        return;
      }
      if (child + 1 < n && a[(child + 1) * STRIDE] > a[child * STRIDE]) {
        child++;
      }
      if (a[child * STRIDE] <= a[i * STRIDE]) {
        return;
      }
      swap(a, i, child);
      i = child;
    }
  }

  private static void swap(long[] a, int i, int j) {
    for (int k = 0; k < STRIDE; k++) {
      long t = a[i * STRIDE + k];
      a[i * STRIDE + k] = a[j * STRIDE + k];
      a[j * STRIDE + k] = t;
    }
  }

  /** A sorted stream of cells; {@link #advance} moves to the next one, false once exhausted. */
  private interface Source {
    boolean advance() throws IOException;
  }

  private abstract static class RangeSource implements Source {
    long key;
    long[] counts;
  }

  private abstract static class LevelSource implements Source {
    byte[] utf8;
    long[] counts;
  }

  private static final class MemorySingles extends RangeSource {
    private final long[] a;
    private final int n;
    private int i;

    MemorySingles(long[] a, int n, long[] one) {
      this.a = a;
      this.n = n;
      this.counts = one;
    }

    @Override
    public boolean advance() {
      if (i == n) {
        return false;
      }
      key = a[i++];
      return true;
    }
  }

  private static final class MemoryCounted extends RangeSource {
    private final long[] a;
    private final int n;
    private int i;

    MemoryCounted(long[] a, int n) {
      this.a = a;
      this.n = n;
      this.counts = new long[CLASSES];
    }

    @Override
    public boolean advance() {
      if (i == n) {
        return false;
      }
      key = a[i * STRIDE];
      System.arraycopy(a, i * STRIDE + 1, counts, 0, CLASSES);
      i++;
      return true;
    }
  }

  /** A run's section of range cells: keys alone with the counts {@code one} gives them, or keys and counts. */
  private static final class FileRange extends RangeSource {
    private final DataInputStream in;
    private final boolean counted;
    private int left;

    FileRange(DataInputStream in, int n, long[] one) {
      this.in = in;
      this.left = n;
      this.counted = one == null;
      this.counts = counted ? new long[CLASSES] : one;
    }

    @Override
    public boolean advance() throws IOException {
      if (left == 0) {
        return false;
      }
      key = in.readLong();
      if (counted) {
        readCounts(in, counts);
      }
      left--;
      return true;
    }
  }

  private static final class MemoryLevels extends LevelSource {
    private final List<Level> levels;
    private int i;

    MemoryLevels(List<Level> levels) {
      this.levels = levels;
    }

    @Override
    public boolean advance() {
      if (i == levels.size()) {
        return false;
      }
      Level l = levels.get(i++);
      utf8 = l.utf8;
      counts = l.counts;
      return true;
    }
  }

  private static final class FileLevels extends LevelSource {
    private final DataInputStream in;
    private int left;

    FileLevels(DataInputStream in, int n) {
      this.in = in;
      this.left = n;
    }

    @Override
    public boolean advance() throws IOException {
      if (left-- == 0) {
        return false;
      }
      int len = in.readInt();
      if (len < 0) {
        throw new EOFException("a corrupt run of level cells");
      }
      utf8 = new byte[len];
      in.readFully(utf8);
      counts = readCounts(in, new long[CLASSES]);
      return true;
    }
  }
}
