package com.creditrisk.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalCsv's spelling checks, without Spark. */
class LocalCsvTest {

  private static boolean jdkStrict(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The UTF-8 check agrees with the JDK's strict decoder, the one whose valid input new String
   * (Spark's decoding) maps one to one: on the edge cases of table 3-7 and on random short byte
   * strings weighted to lead and continuation bytes.
   */
  @Test
  void theUtf8CheckAgreesWithTheJdksStrictDecoder() {
    int[][] edges = {
        {0x41}, {0x80}, {0xC1, 0xBF}, {0xC2, 0x80}, {0xDF, 0xBF}, {0xE0, 0x9F, 0x80}, {0xE0, 0xA0, 0x80},
        {0xED, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xEF, 0xBF, 0xBF}, {0xF0, 0x8F, 0x80, 0x80},
        {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80},
        {0xE2, 0x82}, {0xC3}, {0x69, 0x64, 0x80}, {0xC3, 0xA9, 0xC3}};
    for (int[] edge : edges) {
      byte[] b = new byte[edge.length];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) edge[i];
      }
      assertEquals(jdkStrict(b), LocalCsv.utf8(b, 0, b.length), java.util.Arrays.toString(edge));
    }
    Random rnd = new Random(11);
    int[] pool = {0x41, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4,
        0xF5, 0xFF};
    for (int n = 0; n < 200_000; n++) {
      byte[] b = new byte[1 + rnd.nextInt(6)];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) pool[rnd.nextInt(pool.length)];
      }
      assertEquals(jdkStrict(b), LocalCsv.utf8(b, 0, b.length), java.util.Arrays.toString(b));
    }
  }

  @Test
  void aTextCellThatIsNotUtf8IsNotLocal() {
    byte[] ok = "x,Ünter,y".getBytes(StandardCharsets.UTF_8);
    LocalCsv.text(ok, 2, ok.length - 2);
    byte[] bad = {'x', ',', 'i', 'd', (byte) 0x80, ',', 'y'};
    LocalCsv.text(bad, 0, 4);
    LocalCsv.NotLocal e = assertThrows(LocalCsv.NotLocal.class, () -> LocalCsv.text(bad, 2, 5));
    assertEquals("a text cell that is not UTF-8", e.getMessage());
  }

  /**
   * The read phase of a local read: a value is kept; NotLocal and an I/O failure give their
   * reason; an unexpected RuntimeException goes to Spark too, named by its class; a
   * CreditRiskException (a cancellation) is thrown, not turned into a reason to start Spark.
   */
  @Test
  void anUnexpectedFailureOfTheReadGoesToSparkButACancellationIsThrown() {
    assertEquals(7, LocalCsv.attempt("test", () -> 7).value());
    assertEquals("a quote or control character",
        LocalCsv.attempt("test", () -> { throw new LocalCsv.NotLocal("a quote or control character"); })
            .sparkBecause());
    assertEquals("java.io.IOException: gone",
        LocalCsv.attempt("test", () -> { throw new java.io.IOException("gone"); }).sparkBecause());
    LocalCsv.Outcome<Integer> bug = LocalCsv.attempt("test", () -> Math.floorDiv(1, 0));
    assertEquals(null, bug.value());
    assertEquals("the local read failed with java.lang.ArithmeticException", bug.sparkBecause());
    com.creditrisk.errors.CreditRiskException cancel = com.creditrisk.errors.Errors.interrupted("reading",
        new InterruptedException());
    assertTrue(cancel == assertThrows(com.creditrisk.errors.CreditRiskException.class,
        () -> LocalCsv.attempt("test", () -> { throw cancel; })));
  }

  @TempDir Path dir;

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Words (a string to inference whatever else the column holds) and cells inference may type otherwise. */
  @Test
  void aWordIsALetterThenLettersDigitsOrUnderscoresAndNoSpellingOfAnotherType() {
    for (String w : List.of("paid", "A1", "B_2", "d", "x1y", "Tx", "nul", "trueish", "Nan2")) {
      assertTrue(LocalCsv.word(ascii(w), 0, ascii(w).length), w);
    }
    for (String w : List.of("", "1x", "_a", "NaN", "Inf", "-Inf", "Infinity", "null", "TRUE", "True", "false", "T12",
        "t1", "epoch", "today", "now", "Tomorrow", "yesterday", "a-b", "a b", "Ünter")) {
      assertFalse(LocalCsv.word(ascii(w), 0, ascii(w).length), w);
    }
  }

  @Test
  void fieldsSplitALineIntoTheHeadersWidthOrAreNotLocal() {
    byte[] b = ascii("x,12,,abc");
    int[] starts = new int[4];
    LocalCsv.fields(b, 2, b.length, 3, starts);
    assertEquals(List.of(2, 5, 6, 10), List.of(starts[0], starts[1], starts[2], starts[3]));
    assertEquals("a line with 2 fields, not 3",
        assertThrows(LocalCsv.NotLocal.class, () -> LocalCsv.fields(ascii("1,2"), 0, 3, 3, new int[4])).getMessage());
    assertEquals("a line with more fields than the header",
        assertThrows(LocalCsv.NotLocal.class, () -> LocalCsv.fields(ascii("1,2,3,4"), 0, 7, 3, new int[4]))
            .getMessage());
    for (String line : List.of("1,\"2\",3", "1,2\t,3")) {
      assertEquals("a quote or control character", assertThrows(LocalCsv.NotLocal.class,
          () -> LocalCsv.fields(ascii(line), 0, ascii(line).length, 3, new int[4])).getMessage(), line);
    }
  }

  private LocalCsv.Header header(String name, byte[] content) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, content);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      return LocalCsv.header(ch, name);
    }
  }

  /**
   * The header's names, and the headers Spark would read otherwise: a BOM, a name repeated with
   * other case (Spark renames both), and one repeated only in the JVM's default locale, as Spark's
   * makeSafeHeader lower-cases there: under tr, "İD" and "id" are one name.
   */
  @Test
  void aHeaderSparkWouldRenameIsNotLocalAlsoInTheDefaultLocale() throws Exception {
    LocalCsv.Header h = header("plain.csv", ascii("id,İD,bad\r\n1,2,0\n"));
    assertEquals(List.of("id", "İD", "bad"), h.names());
    assertEquals("id,İD,bad", new String(h.line(), StandardCharsets.UTF_8));
    assertEquals(ascii("id,İD,bad\r\n").length, h.dataStart());
    for (String bad : List.of("\uFEFFid,bad\n", "id,ID,bad\n", "id, x,bad\n", "id,,bad\n")) {
      assertThrows(LocalCsv.NotLocal.class, () -> header("bad.csv", ascii(bad)), bad);
    }
    java.util.Locale before = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
      assertEquals("a header name Spark would rename or read otherwise",
          assertThrows(LocalCsv.NotLocal.class, () -> header("tr.csv", ascii("id,İD,bad\n"))).getMessage());
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  /** A file channel whose positional reads return at most 7 bytes, as a read may. */
  private static final class ShortReads extends FileChannel {
    private final FileChannel ch;

    ShortReads(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws java.io.IOException {
      ByteBuffer part = dst.slice();
      part.limit(Math.min(part.remaining(), 7));
      int n = ch.read(part, position);
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }

    @Override
    public long size() throws java.io.IOException {
      return ch.size();
    }

    @Override
    public int read(ByteBuffer dst) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long position() {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel position(long newPosition) {
      throw new UnsupportedOperationException();
    }

    @Override
    public FileChannel truncate(long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void force(boolean metaData) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.nio.channels.FileLock lock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void implCloseChannel() throws java.io.IOException {
      ch.close();
    }
  }

  /** The header is read until its buffer is full or the file ends, however short each read. */
  @Test
  void theHeaderIsReadWholeThroughShortReads() throws Exception {
    Path p = dir.resolve("short.csv");
    Files.writeString(p, "customer_ref,income,grade,bad\n1,2,3,0\n");
    try (FileChannel ch = new ShortReads(FileChannel.open(p, StandardOpenOption.READ))) {
      LocalCsv.Header h = LocalCsv.header(ch, "short.csv");
      assertEquals(List.of("customer_ref", "income", "grade", "bad"), h.names());
      assertEquals(30, h.dataStart());
    }
  }

  /**
   * Lines across chunk boundaries: one longer than a chunk (4 MiB), and a CRLF whose CR ends one
   * chunk and whose LF starts the next; each line whole, without its LF.
   */
  @Test
  void linesAreWholeAcrossChunkBoundaries() throws Exception {
    int chunk = 4 << 20;
    StringBuilder sb = new StringBuilder();
    sb.append("a".repeat(chunk + 1000)).append('\n');
    // The next line ends with its CR at the last byte of the second chunk, its LF first in the third.
    int secondEnd = 2 * chunk - sb.length() - 1;
    sb.append("b".repeat(secondEnd)).append("\r\n").append("c,d\n");
    Path p = dir.resolve("chunks.csv");
    Files.writeString(p, sb, StandardCharsets.US_ASCII);
    assertEquals('\r', sb.charAt(2 * chunk - 1));
    List<String> lines = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      LocalCsv.lines(ch, 0, ch.size(), new AtomicBoolean(),
          (b, s, e) -> lines.add(new String(b, s, LocalCsv.lineEnd(b, s, e) - s, StandardCharsets.US_ASCII)));
    }
    assertEquals(List.of("a".repeat(chunk + 1000), "b".repeat(secondEnd), "c,d"), lines);
  }

  /**
   * The gates before any cell is read, each with its reason: the key at 0, another format, a
   * compressed suffix (Spark decompresses it), a file over the bound, a spark.sql.* setting
   * outside the list; a plain file passes.
   */
  @Test
  void theGatesGiveEachReason() throws Exception {
    Path p = dir.resolve("plain.csv");
    Files.writeString(p, "x,bad\n1,0\n");
    Path gz = dir.resolve("plain.csv.gz");
    Files.writeString(gz, "x,bad\n1,0\n");
    com.creditrisk.config.CreditRiskConfig conf = com.creditrisk.config.CreditRiskConfig.defaults();
    com.creditrisk.config.ConfigKey<Integer> key = com.creditrisk.config.ConfigKeys.BINNING_LOCAL_MAX_BYTES;
    assertEquals(null, LocalCsv.eligible(conf, key, null, p.toString()).sparkBecause());
    assertEquals(List.of(p), LocalCsv.eligible(conf, key, "csv", p.toString()).files());
    assertEquals("binning.local_max_bytes is 0", LocalCsv.eligible(conf.with(List.of("binning.local_max_bytes=0")),
        key, null, p.toString()).sparkBecause());
    assertEquals("--format parquet", LocalCsv.eligible(conf, key, "parquet", p.toString()).sparkBecause());
    assertEquals("a compressed file", LocalCsv.eligible(conf, key, null, gz.toString()).sparkBecause());
    assertEquals("not a regular local CSV file", LocalCsv.eligible(conf, key, null, dir.toString()).sparkBecause());
    assertEquals("10 bytes, over binning.local_max_bytes 9", LocalCsv.eligible(
        conf.with(List.of("binning.local_max_bytes=9")), key, null, p.toString()).sparkBecause());
    assertEquals("the Spark setting spark.sql.timestampType=TIMESTAMP_NTZ", LocalCsv.eligible(
        conf.with(List.of("spark.conf.spark.sql.timestampType=TIMESTAMP_NTZ")), key, null, p.toString())
        .sparkBecause());
  }

  private static final int ROWS = 3_000_000;

  /** A header "a,b" and ROWS lines "1,2": 12 MB, read in two halves. */
  private Path twoHalves() throws Exception {
    Path p = dir.resolve("halves.csv");
    byte[] b = new byte[4 + 4 * ROWS];
    System.arraycopy("a,b\n".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
    for (int i = 4; i < b.length; i += 4) {
      b[i] = '1';
      b[i + 1] = ',';
      b[i + 2] = '2';
      b[i + 3] = '\n';
    }
    Files.write(p, b);
    assertTrue(Files.size(p) - 4 >= LocalCsv.SPLIT_BYTES);
    return p;
  }

  /** Waits until the other half has failed, as a slow half would be behind it, then reads on. */
  private static void linesOnceStopped(FileChannel ch, long from, long to, AtomicBoolean stop, AtomicLong n)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!stop.get()) {
      assertTrue(System.nanoTime() < deadline, "the other half's failure never set the stop flag");
      Thread.onSpinWait();
    }
    LocalCsv.lines(ch, from, to, stop, (b, s, e) -> n.incrementAndGet());
  }

  private static boolean helperAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("local-csv-second-half") && t.isAlive());
  }

  @Test
  void bothHalvesCountEveryLineOnce() throws Exception {
    try (FileChannel ch = FileChannel.open(twoHalves(), StandardOpenOption.READ)) {
      List<Long> parts = LocalCsv.scan(ch, 4, (from, to, stop) -> {
        AtomicLong n = new AtomicLong();
        LocalCsv.lines(ch, from, to, stop, (b, s, e) -> n.incrementAndGet());
        return n.get();
      });
      assertEquals(2, parts.size());
      assertEquals(ROWS, parts.get(0) + parts.get(1));
    }
  }

  /**
   * Reads the file in two halves, one of which fails at once with {@code why}; the other waits for
   * the flag, then reads, counting into {@code otherLines}. Returns the message scan throws.
   */
  private String oneHalfFails(boolean secondFails, String why, AtomicLong otherLines) throws Exception {
    try (FileChannel ch = FileChannel.open(twoHalves(), StandardOpenOption.READ)) {
      return assertThrows(LocalCsv.NotLocal.class, () -> LocalCsv.scan(ch, 4, (from, to, stop) -> {
        if ((from > 4) == secondFails) {
          throw new LocalCsv.NotLocal(why);
        }
        try {
          linesOnceStopped(ch, from, to, stop, otherLines);
        } catch (LocalCsv.NotLocal stopped) {
          throw stopped;
        } catch (Exception other) {
          throw new AssertionError(other);
        }
        return 0L;
      })).getMessage();
    }
  }

  /**
   * The second half fails in its first line: the first half stops at its next chunk (it reads no
   * line once the flag is set), the second half's reason is the one thrown, and scan returns only
   * once the helper has ended.
   */
  @Test
  void aSecondHalfThatFailsStopsTheFirst() throws Exception {
    AtomicLong firstLines = new AtomicLong();
    assertEquals("a quote or control character", oneHalfFails(true, "a quote or control character", firstLines));
    assertEquals(0, firstLines.get());
    assertFalse(helperAlive());
  }

  /**
   * The first half fails: the helper reading the second half stops at its next chunk and is joined
   * before scan throws, so it never reads the channel the caller then closes.
   */
  @Test
  void aFirstHalfThatFailsStopsAndJoinsTheSecond() throws Exception {
    AtomicLong secondLines = new AtomicLong();
    assertEquals("a line with 3 fields, not 2", oneHalfFails(false, "a line with 3 fields, not 2", secondLines));
    assertFalse(helperAlive());
    assertEquals(0, secondLines.get());
  }
}
