package com.creditrisk.io;

import com.creditrisk.config.ConfigKey;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spelling of a CSV file that a command may read in the JVM, without Spark, because Spark's
 * reader provably gives the same columns, types and values for it (validate --scores and bin,
 * docs/pipeline.md and docs/binning.md). What is outside it throws {@link NotLocal}, before any
 * output, and the command reads the file with Spark instead, with its answers and its errors:
 * <ul>
 *   <li>the path: a regular file on the local file system, no scheme, no glob, no name Spark's
 *       listing hides ({@link #file}), no suffix of a compression codec ({@link #eligible});
 *   <li>the header: no BOM, UTF-8, no empty, padded or case-insensitively repeated name (in the
 *       root and the default locale), no quote or control character, at most Spark's number of
 *       columns ({@link #header});
 *   <li>each line: ended by LF or CRLF, not empty, no quote or control character, the header's
 *       number of fields ({@link #fields});
 *   <li>a number: {@code -?digits[.digits][(e|E)[+|-]digits]}, an integer of at most 18 digits and
 *       an exponent other than the number of digits after the point, i.e. a scale other than 0
 *       ({@link #number}). A column of such cells is
 *       inferred int, long or double (never decimal, the one type whose conversion could differ),
 *       and each cell converts to the double {@link Double#parseDouble} gives;
 *   <li>a word: a letter, then letters, digits or underscores, not a spelling of true, false, NaN,
 *       infinity, null or a special date (epoch, now, today, yesterday, tomorrow), and not a T
 *       then a digit, which a time of day may start with ({@link #word}): inference types any
 *       column holding one as a string.
 * </ul>
 * A file of at least {@link #SPLIT_BYTES} is read by two threads, one per half, cut at a line end;
 * when either half fails, the other stops at its next chunk (a shared flag, not an interrupt, which
 * would close the shared FileChannel), and the helper is always joined before {@link #scan} returns,
 * so nothing reads the file once the command goes on to Spark.
 */
public final class LocalCsv {
  private static final Logger LOG = LoggerFactory.getLogger(LocalCsv.class);

  private LocalCsv() {}

  /** Spark's CSV reader reads at most this many columns (univocity's maxColumns default). */
  public static final int MAX_COLUMNS = 20_480;
  /** Below this a second thread costs more than it saves. */
  public static final long SPLIT_BYTES = 4L << 20;
  private static final int CHUNK = 4 << 20;
  // Spellings of a boolean, a double, a null and the special dates and times (epoch, now, ...):
  // none is a word, whatever a given Spark version makes of it.
  private static final Set<String> NOT_WORDS = Set.of("true", "false", "nan", "inf", "infinity", "null", "epoch",
      "now", "today", "yesterday", "tomorrow");
  /** A URI scheme, or characters Hadoop reads as a glob: such a path is Spark's to read. */
  private static final Pattern NOT_PLAIN_PATH = Pattern.compile("[:{}\\[\\]*?\\\\]");

  /** What the reader cannot vouch for: the caller goes to the Spark path. */
  public static class NotLocal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotLocal(String why) {
      super(why, null, false, false);
    }
  }

  /** A half stopped because the other failed: that failure, not this, is the reason. */
  private static final class Stopped extends NotLocal {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped: the other half of the file failed");
    }
  }

  /** Takes one line [s, e) of {@code b}, without its LF. */
  @FunctionalInterface
  public interface LineSink {
    void line(byte[] b, int s, int e);
  }

  /**
   * Reads the lines starting in [from, to) into a part of its own, passing {@code stop} to
   * {@link #lines}: it is set once the other half has failed.
   */
  @FunctionalInterface
  public interface RangeScan<P> {
    P scan(long from, long to, AtomicBoolean stop) throws IOException;
  }

  /**
   * The spark.sql.* settings a local read may leave aside, with the values a session accepts
   * (SQLConf checks every spark.sql.* entry when the session is built: another value is the Spark
   * path's error, so it goes there). Any other spark.sql.* key goes to Spark, whether or not it
   * touches the CSV reader today (spark.sql.caseSensitive, timeParserPolicy, timestampType,
   * legacy.allowNegativeScaleOfDecimal do), so the local answer never rests on a key's reach:
   * <ul>
   *   <li>spark.sql.shuffle.partitions: how many partitions a shuffle makes; reading a file and
   *       inferring its schema shuffle nothing, and bin's and validate's counts are exact sums of
   *       longs, whatever their partitions;
   *   <li>spark.sql.adaptive.enabled: re-plans joins and shuffle partitions at run time, never a
   *       scan's rows, its parsing or its inferred types.
   * </ul>
   */
  private static final Map<String, Predicate<String>> SQL_KEYS_LEFT_ASIDE = Map.of(
      "spark.sql.shuffle.partitions", v -> v.trim().matches("\\+?[0-9]{1,9}") && Integer.parseInt(v.trim()) > 0,
      "spark.sql.adaptive.enabled", v -> v.trim().equalsIgnoreCase("true") || v.trim().equalsIgnoreCase("false"));

  /**
   * Whether a local read may go ahead: its files, in the order given, and the Hadoop settings to
   * write with; or why Spark reads the input (files null).
   */
  public record Eligible(List<java.nio.file.Path> files, org.apache.hadoop.conf.Configuration hadoopConf,
      String sparkBecause) {}

  /**
   * The gates every local read passes before it looks at a cell (bin, validate --scores): the key
   * {@code maxBytes} above 0, --format csv or none, regular local CSV files ({@link #file}; the
   * format given applies to the first path, the others are detected) of at most {@code maxBytes}
   * together and within the heap ({@link #fitsHeap}), none named as compressed (Spark would
   * decompress it), a local master ({@link SparkSessions#localMaster}), no spark.sql.* setting
   * outside {@link #SQL_KEYS_LEFT_ASIDE}, and the local default file system. A null path is absent
   * (its place in {@link Eligible#files} is null).
   */
  public static Eligible eligible(CreditRiskConfig conf, ConfigKey<Integer> maxBytes, String format,
      String... paths) {
    long max = conf.get(maxBytes);
    if (max <= 0) {
      return new Eligible(null, null, maxBytes.key() + " is 0");
    }
    if (format != null && !format.equals("csv")) {
      return new Eligible(null, null, "--format " + format);
    }
    List<java.nio.file.Path> files = new ArrayList<>();
    org.apache.hadoop.conf.Configuration hadoopConf = null;
    long bytes = 0;
    for (int i = 0; i < paths.length; i++) {
      java.nio.file.Path f = paths[i] == null ? null : file(paths[i], i == 0 && format != null);
      if (paths[i] != null && f == null) {
        return new Eligible(null, null, "not a regular local CSV file");
      }
      if (f != null) {
        hadoopConf = hadoopConf == null ? SparkSessions.hadoopConf(conf) : hadoopConf;
        // Spark decompresses a file by its suffix (.gz, .bz2, .zst, ...), as Hadoop's codecs name them.
        if (new CompressionCodecFactory(hadoopConf).getCodec(new org.apache.hadoop.fs.Path(f.toUri())) != null) {
          return new Eligible(null, null, "a compressed file");
        }
      }
      files.add(f);
      try {
        bytes += f == null ? 0 : Files.size(f);
      } catch (IOException e) {
        return new Eligible(null, null, e.toString());
      }
    }
    if (bytes > max) {
      return new Eligible(null, null, bytes + " bytes, over " + maxBytes.key() + " " + max);
    }
    String overHeap = overHeap(bytes);
    if (overHeap != null) {
      return new Eligible(null, null, overHeap);
    }
    if (!SparkSessions.localMaster(conf)) {
      return new Eligible(null, null, "the master is not local");
    }
    for (Map.Entry<String, String> e : SparkSessions.sparkSettings(conf).entrySet()) {
      Predicate<String> accepted = SQL_KEYS_LEFT_ASIDE.get(e.getKey());
      if (e.getKey().startsWith("spark.sql.") && (accepted == null || !accepted.test(e.getValue()))) {
        return new Eligible(null, null, "the Spark setting " + e.getKey() + "=" + e.getValue());
      }
    }
    hadoopConf = hadoopConf == null ? SparkSessions.hadoopConf(conf) : hadoopConf;
    if (!"file".equals(FileSystem.getDefaultUri(hadoopConf).getScheme())) {
      return new Eligible(null, null, "the default file system is not the local one");
    }
    return new Eligible(java.util.Collections.unmodifiableList(files), hadoopConf, null);
  }

  /** A local read's read and count phase, which writes nothing. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws IOException;
  }

  /** What a local read gave: its value, or why the command goes to Spark instead (value null). */
  public record Outcome<T>(T value, String sparkBecause) {}

  /**
   * Runs the read and count phase of a local read. {@link NotLocal} and an I/O failure go to Spark
   * ({@link #sparkBecause}); so does any other RuntimeException (a bug, an arithmetic failure),
   * logged as a WARN with its class, because the local read is a shortcut to the Spark path's
   * answer, which the Spark path can still give. A {@link CreditRiskException} (a cancellation)
   * ends the command. Nothing is written in this phase, so nothing is left half written.
   */
  public static <T> Outcome<T> attempt(String command, Read<T> read) {
    try {
      return new Outcome<>(read.read(), null);
    } catch (NotLocal e) {
      return new Outcome<>(null, e.getMessage());
    } catch (IOException e) {
      return new Outcome<>(null, sparkBecause(e));
    } catch (CreditRiskException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("{}: the local read failed with {}; Spark reads the input instead", command, e.getClass().getName(),
          e);
      return new Outcome<>(null, "the local read failed with " + e.getClass().getName());
    }
  }

  /**
   * The path as a regular file on the local file system that Spark would read as CSV: no scheme,
   * no glob, no name Spark's listing hides, no .parquet ending when the format is detected; else null.
   */
  public static java.nio.file.Path file(String path, boolean formatGiven) {
    if (NOT_PLAIN_PATH.matcher(path).find()) {
      return null;
    }
    java.nio.file.Path p = java.nio.file.Path.of(path);
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    if (name.isEmpty() || name.startsWith("_") || name.startsWith(".") || !Files.isRegularFile(p)
        || (!formatGiven && name.toLowerCase(Locale.ROOT).endsWith(".parquet"))) {
      return null;
    }
    return p;
  }

  /**
   * Bytes of heap a local read may need per byte of its files, at worst. validate --scores: a
   * double per row kept in arrays that grow by half (a 4-byte line "1,0" is 5 bytes of heap per file
   * byte while growing), and about 80 bytes per distinct score, which needs a line of 10 bytes or
   * more once there are millions of them; measured, the 222 MB benchmark files peaked at 516 MB in
   * use. bin: 8 bytes per numeric cell of at least 2 bytes with its comma, in arrays that may hold
   * twice their content while they double (up to 65,536 values), so 8 per file byte.
   */
  public static final int HEAP_PER_FILE_BYTE = 10;

  /**
   * Whether files of this size can be read in a heap of at most {@code maxHeap} bytes; a smaller
   * heap (CREDIT_RISK_HEAP, -Xmx, a notebook's JVM) leaves them to Spark, which spills to disk,
   * rather than to an OutOfMemoryError.
   */
  public static boolean fitsHeap(long bytes, long maxHeap) {
    return bytes <= maxHeap / HEAP_PER_FILE_BYTE;
  }

  /** Why files of this size go to Spark in this JVM ({@link #fitsHeap}), or null when they fit. */
  public static String overHeap(long bytes) {
    return fitsHeap(bytes, Runtime.getRuntime().maxMemory()) ? null
        : bytes + " bytes, over 1/" + HEAP_PER_FILE_BYTE + " of the JVM's maximum heap";
  }

  /**
   * Why a local read that failed with {@code e} goes to Spark; a read stopped by an interrupt (the
   * channel closed by it) is a cancellation of the command instead, thrown, not a reason to start
   * Spark on a thread whose interrupt flag is set.
   */
  public static String sparkBecause(IOException e) {
    if (e instanceof java.nio.channels.ClosedByInterruptException || e instanceof java.io.InterruptedIOException) {
      Thread.currentThread().interrupt();
      InterruptedException cause = new InterruptedException(e.toString());
      cause.initCause(e);
      throw Errors.interrupted("reading a local CSV file", cause);
    }
    return e.toString();
  }

  /** The header line: its bytes without the line end, and its names. */
  public record Header(byte[] line, List<String> names, long dataStart) {}

  /** Reads the header line of a file (in its first MiB). */
  public static Header header(FileChannel ch, String what) throws IOException {
    byte[] head = new byte[(int) Math.min(ch.size(), 1 << 20)];
    // A positional read may return fewer bytes than asked: read on until full or at the end.
    int got = 0;
    while (got < head.length) {
      int n = ch.read(ByteBuffer.wrap(head, got, head.length - got), got);
      if (n <= 0) {
        break;
      }
      got += n;
    }
    int eol = indexOf(head, 0, got, (byte) '\n');
    if (eol < 0) {
      throw new NotLocal("no line end in the first MiB of " + what);
    }
    int end = eol > 0 && head[eol - 1] == '\r' ? eol - 1 : eol;
    return new Header(Arrays.copyOf(head, end), header(head, end), eol + 1);
  }

  /** The header's names; each must be a name Spark's CSV reader keeps as it is. */
  private static List<String> header(byte[] head, int end) {
    if (end >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
      throw new NotLocal("a byte order mark");
    }
    if (!utf8(head, 0, end)) {
      throw new NotLocal("a header that is not UTF-8");
    }
    String line = new String(head, 0, end, StandardCharsets.UTF_8);
    List<String> names = new ArrayList<>(Arrays.asList(line.split(",", -1)));
    Set<String> seen = new HashSet<>();
    // Spark's makeSafeHeader finds repeated names lower-cased in the JVM's default locale (under tr,
    // "İD" and "id" are one), then renames them; both spellings are checked, as the local path's
    // JVM is the one a session would run in.
    Set<String> seenInLocale = new HashSet<>();
    for (String n : names) {
      if (n.isEmpty() || n.strip().length() != n.length() || n.chars().anyMatch(c -> c < 0x20 || c == '"')
          || !seen.add(n.toLowerCase(Locale.ROOT)) || !seenInLocale.add(n.toLowerCase(Locale.getDefault()))) {
        throw new NotLocal("a header name Spark would rename or read otherwise");
      }
    }
    if (names.size() > MAX_COLUMNS) {
      throw new NotLocal("more columns than Spark reads");
    }
    return names;
  }

  /**
   * The lines from {@code start} to the end, scanned by {@code scan} in one part, or in two (the
   * second on another thread) when the file is large enough; a {@link NotLocal} of either is thrown.
   */
  public static <P> List<P> scan(FileChannel ch, long start, RangeScan<P> scan) throws IOException {
    long size = ch.size();
    AtomicBoolean stop = new AtomicBoolean();
    if (size - start < SPLIT_BYTES) {
      return List.of(scan.scan(start, size, stop));
    }
    long cut = nextLineStart(ch, start + (size - start) / 2, size);
    AtomicReference<Object> second = new AtomicReference<>();
    Thread half = new Thread(() -> {
      try {
        second.set(scan.scan(cut, size, stop));
      } catch (IOException | RuntimeException | Error e) {
        stop.set(true);
        second.set(e);
      }
    }, "local-csv-second-half");
    half.setDaemon(true);
    half.start();
    Object first;
    InterruptedException interrupted = null;
    try {
      first = scan.scan(start, cut, stop);
    } catch (IOException | RuntimeException | Error e) {
      stop.set(true);
      first = e;
    } finally {
      // Joined on every path: the helper must not read a channel the caller closes, nor hold its
      // part's heap while the command starts Spark. Once stopped it ends within one chunk.
      while (true) {
        try {
          half.join();
          break;
        } catch (InterruptedException e) {
          interrupted = e;
          stop.set(true);
        }
      }
    }
    if (interrupted != null) {
      // A cancellation aborts the command; it is no reason to read the file with Spark.
      Thread.currentThread().interrupt();
      throw Errors.interrupted("reading a local CSV file", interrupted);
    }
    Object r = second.get();
    // The half that failed first gives the reason; the other only stopped because of it.
    rethrow(first instanceof Stopped ? r : first);
    rethrow(r);
    rethrow(first);
    @SuppressWarnings("unchecked")
    List<P> both = (List<P>) List.of(first, r);
    return both;
  }

  private static void rethrow(Object r) throws IOException {
    if (r instanceof IOException io) {
      throw io;
    }
    if (r instanceof RuntimeException re) {
      throw re;
    }
    if (r instanceof Error err) {
      throw err;
    }
  }

  private static long nextLineStart(FileChannel ch, long from, long size) throws IOException {
    byte[] b = new byte[1 << 16];
    long at = from;
    while (at < size) {
      int n = ch.read(ByteBuffer.wrap(b), at);
      if (n <= 0) {
        break;
      }
      int i = indexOf(b, 0, n, (byte) '\n');
      if (i >= 0) {
        return at + i + 1;
      }
      at += n;
    }
    return size;
  }

  private static int indexOf(byte[] b, int from, int to, byte x) {
    for (int i = from; i < to; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** Every line starting in [from, to), which starts a line; lines are read whole in chunks. */
  public static void lines(FileChannel ch, long from, long to, AtomicBoolean stop, LineSink sink)
      throws IOException {
    byte[] buf = new byte[CHUNK];
    int kept = 0;
    long at = from;
    while (at < to || kept > 0) {
      if (stop.get()) {
        throw new Stopped();
      }
      int n = at < to ? ch.read(ByteBuffer.wrap(buf, kept, (int) Math.min(buf.length - kept, to - at)), at) : 0;
      if (n < 0) {
        throw new IOException("the file ended early");
      }
      at += n;
      int limit = kept + n;
      boolean last = at >= to;
      int s = 0;
      while (s < limit) {
        int e = indexOf(buf, s, limit, (byte) '\n');
        if (e < 0) {
          if (!last) {
            break;
          }
          e = limit;
        }
        sink.line(buf, s, e);
        s = e + 1;
      }
      if (last) {
        break;
      }
      kept = limit - s;
      if (kept == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      System.arraycopy(buf, s, buf, 0, kept);
    }
  }

  /** The end of line [s, e) without a CR before the LF; {@link NotLocal} for an empty line. */
  public static int lineEnd(byte[] b, int s, int e) {
    if (e > s && b[e - 1] == '\r') {
      e--;
    }
    if (e == s) {
      throw new NotLocal("an empty line");
    }
    return e;
  }

  /**
   * Splits a data line [s, e), without its LF, into the header's fields ({@link #fields}, the
   * header's width being {@code starts.length - 1}); {@link NotLocal} for an empty line
   * ({@link #lineEnd}) and for a line equal to the header line, which inference leaves out and the
   * read keeps.
   */
  public static void row(Header header, byte[] b, int s, int e, int[] starts) {
    e = lineEnd(b, s, e);
    byte[] h = header.line();
    if (e - s == h.length && Arrays.equals(b, s, e, h, 0, h.length)) {
      throw new NotLocal("a line equal to the header line");
    }
    fields(b, s, e, starts.length - 1, starts);
  }

  /**
   * Splits the line [s, e) (its end from {@link #lineEnd}) into {@code width} fields: field i is
   * [starts[i], starts[i + 1] - 1); {@link NotLocal} for a quote or control character or another
   * number of fields.
   */
  public static void fields(byte[] b, int s, int e, int width, int[] starts) {
    int field = 0;
    starts[0] = s;
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (c == ',') {
        if (++field >= width) {
          throw new NotLocal("a line with more fields than the header");
        }
        starts[field] = i + 1;
      } else if (c >= 0 && c < 0x20 || c == '"') {
        throw new NotLocal("a quote or control character");
      }
    }
    if (field != width - 1) {
      throw new NotLocal("a line with " + (field + 1) + " fields, not " + width);
    }
    starts[width] = e + 1;
  }

  /**
   * {@link NotLocal} unless [s, e) is well-formed UTF-8. Spark decodes each line with
   * {@code new String(bytes, UTF_8)}, which turns every malformed sequence into U+FFFD, so distinct
   * invalid byte strings can be one string there: the local path counts and compares the raw bytes
   * of text cells, which is Spark's answer only when they decode one to one.
   */
  public static void text(byte[] b, int s, int e) {
    for (int i = s; i < e; i++) {
      if (b[i] < 0) {
        if (!utf8(b, i, e)) {
          throw new NotLocal("a text cell that is not UTF-8");
        }
        return;
      }
    }
  }

  /**
   * Whether [i, e) is well-formed UTF-8 as the Unicode standard's table 3-7 defines it (no overlong
   * form, no surrogate, nothing above U+10FFFF), the bytes the JDK's decoder maps one to one.
   */
  static boolean utf8(byte[] b, int i, int e) {
    while (i < e) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int more;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
      } else {
        return false;
      }
      if (e - i <= more) {
        return false;
      }
      int c1 = b[i + 1] & 0xff;
      int lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
      int hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
      if (c1 < lo || c1 > hi) {
        return false;
      }
      for (int k = 2; k <= more; k++) {
        if ((b[i + k] & 0xC0) != 0x80) {
          return false;
        }
      }
      i += more + 1;
    }
    return true;
  }

  /** A cell inference types as a string whatever else its column holds. */
  public static boolean word(byte[] b, int s, int e) {
    if (s == e || !((b[s] >= 'a' && b[s] <= 'z') || (b[s] >= 'A' && b[s] <= 'Z'))) {
      return false;
    }
    if ((b[s] == 'T' || b[s] == 't') && e - s > 1 && b[s + 1] >= '0' && b[s + 1] <= '9') {
      return false;
    }
    for (int i = s; i < e; i++) {
      byte c = b[i];
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return !NOT_WORDS.contains(new String(b, s, e - s, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
  }

  /** Whether [s, e) is an integer of the grammar: -?digits, at most 18 digits. */
  public static boolean integer(byte[] b, int s, int e) {
    int i = s < e && b[s] == '-' ? s + 1 : s;
    if (i == e || e - i > 18) {
      return false;
    }
    for (; i < e; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  /** The integer [s, e) exactly; it must be one ({@link #integer}). */
  public static long longValue(byte[] b, int s, int e) {
    boolean negative = b[s] == '-';
    long v = 0;
    for (int k = negative ? s + 1 : s; k < e; k++) {
      v = v * 10 + (b[k] - '0');
    }
    return negative ? -v : v;
  }

  /**
   * The double as Spark groups and compares it: -0.0 is 0.0 (its NormalizeFloatingNumbers rule,
   * which the fine-bin Stack and validate's grouping follow; the local reads do the same).
   */
  public static double normalized(double v) {
    return v == 0.0 ? 0.0 : v;
  }

  /** The cell as a double; NaN for an empty cell; {@link NotLocal} outside the grammar (see the class comment). */
  public static double number(byte[] b, int s, int e) {
    if (s == e) {
      return Double.NaN;
    }
    int i = s;
    if (b[i] == '-') {
      i++;
    }
    int intStart = i;
    while (i < e && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    int intDigits = i - intStart;
    boolean point = i < e && b[i] == '.';
    int fracDigits = 0;
    if (point) {
      i++;
      int f = i;
      while (i < e && b[i] >= '0' && b[i] <= '9') {
        i++;
      }
      fracDigits = i - f;
    }
    boolean hasExp = i < e && (b[i] == 'e' || b[i] == 'E');
    long exp = 0;
    if (hasExp) {
      i++;
      boolean negative = false;
      if (i < e && (b[i] == '-' || b[i] == '+')) {
        negative = b[i] == '-';
        i++;
      }
      int x = i;
      while (i < e && b[i] >= '0' && b[i] <= '9' && i - x < 6) {
        exp = exp * 10 + (b[i] - '0');
        i++;
      }
      if (i == x) {
        throw new NotLocal("a cell that is not a plain number");
      }
      exp = negative ? -exp : exp;
    }
    if (i != e || intDigits == 0 || (point && fracDigits == 0)) {
      throw new NotLocal("a cell that is not a plain number");
    }
    if (!point && !hasExp) {
      if (intDigits > 18) {
        throw new NotLocal("an integer of more than 18 digits");
      }
      long v = 0;
      for (int k = intStart; k < e; k++) {
        v = v * 10 + (b[k] - '0');
      }
      return b[s] == '-' ? -(double) v : (double) v;
    }
    // Scale 0 (15e0, 1.5E1) is a decimal to inference. A negative scale (1E5, 1.5E7, Java's spelling
    // of any double from 1e7) makes DecimalType's constructor throw (SPARK-30252) inside
    // tryParseDecimal's allCatch, so inference goes on to double, unless
    // spark.sql.legacy.allowNegativeScaleOfDecimal is set, which eligible() leaves to Spark.
    if (hasExp && fracDigits == exp) {
      throw new NotLocal("an exponent that inference reads as a decimal");
    }
    // Jackson's copy of FastDoubleParser: the double Double.parseDouble gives (the Spark path's
    // conversion), without its slow big-integer path that most 16-17 digit values take.
    double v = NumberInput.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1), true);
    if (Double.isInfinite(v)) {
      throw new NotLocal("a number beyond a double");
    }
    return v;
  }
}
