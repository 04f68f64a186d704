package com.creditrisk.io;

import com.creditrisk.io.LocalCsv.NotLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code BinFeatures.label}'s rule (the label of bin and validate --scores) on the label cells of a
 * local CSV ({@link LocalCsv}), without Spark: each cell's class, and at the end whether the
 * column's inferred type makes every class given the Spark path's. The type is not known while
 * reading (the cells of both halves decide it), so a cell is classed under every reading its type
 * could have, and {@link #check} sends the file to Spark when the readings disagree:
 * <ul>
 *   <li>a string column (a word in it, {@link LocalCsv#word}, makes inference call it one whatever
 *       else it holds): each cell compared with --bad-value as text;
 *   <li>a numeric column (only numbers of {@link LocalCsv#number}): 0 and 1, or with a numeric
 *       --bad-value ({@link #numericBadValue}) compared with it as a double;
 *   <li>a boolean column ({@code true} and {@code false} only): compared with --bad-value as text,
 *       the cast to a string giving those words.
 * </ul>
 * Whatever the Spark path reports as an input error (a label other than 0/1, a text label without
 * --bad-value, one where no row could be bad) goes to Spark, so its text and exit code stay the
 * Spark path's.
 */
public final class LocalLabel {
  /** A row's class: its index in per-class counts. */
  public static final int GOOD = 0;
  public static final int BAD = 1;
  public static final int UNLABELED = 2;

  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

  private final byte[] badBytes;
  private final Double numericBad;

  public LocalLabel(String badValue) {
    this.badBytes = badValue == null ? null : badValue.getBytes(StandardCharsets.UTF_8);
    this.numericBad = numericBadValue(badValue);
  }

  /** --bad-value read as a number, which a numeric label is compared with; null when it is none (or not given). */
  public static Double numericBadValue(String badValue) {
    if (badValue == null) {
      return null;
    }
    try {
      return Double.valueOf(badValue.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** What one part of the file's label cells held; parts are joined with {@link #add}. */
  public static final class Seen {
    private boolean word;
    private boolean number;
    private boolean bool;
    private boolean other;
    private boolean readingsDiffer;
    private boolean textBadValue;

    public void add(Seen o) {
      word |= o.word;
      number |= o.number;
      bool |= o.bool;
      other |= o.other;
      readingsDiffer |= o.readingsDiffer;
      textBadValue |= o.textBadValue;
    }
  }

  /** The class of the label cell [s, e): {@link #GOOD}, {@link #BAD} or {@link #UNLABELED} (empty). */
  public int classOf(byte[] b, int s, int e, Seen seen) {
    if (s == e) {
      return UNLABELED;
    }
    if (LocalCsv.word(b, s, e) || bool(b, s, e)) {
      seen.word |= !bool(b, s, e);
      seen.bool |= bool(b, s, e);
      if (badBytes == null) {
        // The Spark path reads it as an invalid label.
        throw new NotLocal("a label that is not a number without --bad-value");
      }
      return text(b, s, e);
    }
    double v;
    try {
      v = LocalCsv.number(b, s, e);
    } catch (NotLocal notANumber) {
      if (badBytes == null) {
        throw notANumber;
      }
      // Text only beside a word ({@link #check}); compared as Spark reads it, unpadded UTF-8.
      if (b[s] == ' ' || b[e - 1] == ' ') {
        throw new NotLocal("a label cell padded with spaces");
      }
      LocalCsv.text(b, s, e);
      seen.other = true;
      return text(b, s, e);
    }
    seen.number = true;
    if (badBytes == null) {
      if (v == 1.0 || v == 0.0) {
        return v == 1.0 ? BAD : GOOD;
      }
      throw new NotLocal("a label other than 0/1");
    }
    int asText = text(b, s, e);
    if (numericBad == null) {
      seen.textBadValue = true;
      return asText;
    }
    int asNumber = v == numericBad ? BAD : GOOD;
    seen.readingsDiffer |= asNumber != asText;
    return asNumber;
  }

  /**
   * {@link NotLocal} unless the label column's type, which the whole file's cells decide, makes
   * every class {@link #classOf} gave the Spark path's.
   */
  public void check(Seen all) {
    if (all.word) {
      if (all.readingsDiffer) {
        throw new NotLocal("a text label whose numbers read otherwise as numbers");
      }
      return;
    }
    if (all.other || (all.bool && all.number)) {
      throw new NotLocal("a label column whose type the spelling does not decide");
    }
    if (all.number && all.textBadValue) {
      // A number cast to a string never equals a --bad-value that is not a number: one class.
      throw new NotLocal("a numeric label with a --bad-value that is not a number");
    }
    if (!all.number && !all.bool) {
      throw new NotLocal("a label column with no value");
    }
  }

  private int text(byte[] b, int s, int e) {
    return Arrays.equals(b, s, e, badBytes, 0, badBytes.length) ? BAD : GOOD;
  }

  /** {@code true} or {@code false} as spelled, the cells of a boolean column. */
  public static boolean bool(byte[] b, int s, int e) {
    return Arrays.equals(b, s, e, TRUE, 0, TRUE.length) || Arrays.equals(b, s, e, FALSE, 0, FALSE.length);
  }
}
