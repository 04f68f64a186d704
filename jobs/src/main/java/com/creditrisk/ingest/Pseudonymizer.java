package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.unhex;

import com.creditrisk.config.ConfigKeys;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.InputContract;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.Umask;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * privacy.pseudonymize: each identifier becomes HMAC-SHA256(key, its UTF-8 bytes) as 64 lower-case
 * hex characters, computed by Spark's own sha2, concat and unhex (RFC 2104): built-in expressions,
 * where a UDF would be opaque to the optimizer. Same key, same token; a null stays null, so the
 * contract's null rules and the label joins see what they saw. The key is held only here, as the
 * two padded blocks, and never printed: {@link #toString} says nothing about it.
 */
public final class Pseudonymizer {
  /** SHA-256's block size: the key is padded (or first hashed) to it. */
  private static final int BLOCK = 64;
  private static final byte INNER_PAD = 0x36;
  private static final byte OUTER_PAD = 0x5c;
  /** The padded keys' columns while the tokens are computed; dropped before the frame is returned. */
  private static final String INNER_COLUMN = "__hmac_inner_key";
  private static final String OUTER_COLUMN = "__hmac_outer_key";
  private static final StructType KEYS = new StructType()
      .add(INNER_COLUMN, DataTypes.BinaryType, false)
      .add(OUTER_COLUMN, DataTypes.BinaryType, false);

  private final byte[] innerKey;
  private final byte[] outerKey;

  private Pseudonymizer(byte[] key) {
    byte[] k0 = Arrays.copyOf(key.length > BLOCK ? sha256(key) : key, BLOCK);
    innerKey = new byte[BLOCK];
    outerKey = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      innerKey[i] = (byte) (k0[i] ^ INNER_PAD);
      outerKey[i] = (byte) (k0[i] ^ OUTER_PAD);
    }
    Arrays.fill(k0, (byte) 0);
  }

  /**
   * The pseudonymizer of a run, empty when privacy.pseudonymize is off. Called before any Spark
   * work, so a missing or exposed key stops the run (exit 2) with nothing read or written.
   */
  public static Optional<Pseudonymizer> of(CreditRiskConfig conf, Map<String, String> env) {
    if (!conf.pseudonymize()) {
      return Optional.empty();
    }
    return Optional.of(new Pseudonymizer(key(conf, env)));
  }

  /** The key: privacy.key_file when set, else the environment variable; never from the config itself. */
  static byte[] key(CreditRiskConfig conf, Map<String, String> env) {
    String fileKey = ConfigKeys.PRIVACY_KEY_FILE.key();
    Optional<String> file = conf.privacyKeyFile();
    byte[] key;
    String where;
    if (file.isPresent()) {
      key = readKeyFile(fileKey, file.get());
      where = fileKey + " " + file.get();
    } else {
      String value = env.get(CreditRiskConfig.PRIVACY_KEY_ENV);
      if (value == null) {
        throw Errors.privacyKeyMissing(fileKey, CreditRiskConfig.PRIVACY_KEY_ENV);
      }
      key = value.getBytes(StandardCharsets.UTF_8);
      where = "the environment variable " + CreditRiskConfig.PRIVACY_KEY_ENV;
    }
    if (key.length == 0) {
      throw Errors.privacyKeyEmpty(where);
    }
    return key;
  }

  /**
   * The file's bytes without the line breaks an editor or {@code echo} leaves at the end. Refused
   * when group or others may read it, as ssh refuses such a private key: whoever reads the key can
   * test a guessed customer id against every token.
   */
  private static byte[] readKeyFile(String fileKey, String path) {
    Path p = Path.of(path);
    byte[] bytes;
    try {
      int mode = Umask.mode(Files.getPosixFilePermissions(p));
      if ((mode & 0077) != 0) {
        throw Errors.privacyKeyFileReadable(fileKey, path, String.format("mode %03o", mode));
      }
      bytes = Files.readAllBytes(p);
    } catch (UnsupportedOperationException e) {
      throw Errors.privacyKeyUnreadable(fileKey, path, "the file system has no POSIX permissions to check");
    } catch (IOException e) {
      throw Errors.privacyKeyUnreadable(fileKey, path, e.getClass().getSimpleName());
    }
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
      end--;
    }
    byte[] key = Arrays.copyOf(bytes, end);
    Arrays.fill(bytes, (byte) 0);
    return key;
  }

  /**
   * The frame with every identifier column it has replaced by its token (HMAC-SHA256 of the value's
   * UTF-8 bytes as 64 hex characters; null for null), in place.
   *
   * <p>The padded keys reach the expression as the two columns of a one-row frame made from a row
   * on the driver, broadcast and cross-joined to the rows, never as literals: a literal is printed
   * in every plan string, and plan strings go to the Spark UI's SQL tab, the event log and DEBUG
   * logs. A local relation prints its attributes, never its rows, and no optimizer rule folds a
   * joined relation's values into the expressions that use them. The broadcast join of one row
   * costs about what the literals did, and the tokens are the same bytes.
   */
  public Dataset<Row> apply(Dataset<Row> df) {
    List<String> present = InputContract.IDENTIFIER_COLUMNS.stream()
        .filter(Arrays.asList(df.columns())::contains).toList();
    if (present.isEmpty()) {
      return df;
    }
    Dataset<Row> keys = df.sparkSession().createDataFrame(List.of(RowFactory.create(innerKey, outerKey)), KEYS);
    Dataset<Row> out = df.crossJoin(broadcast(keys));
    for (String c : present) {
      out = out.withColumn(c, token(col(c), col(INNER_COLUMN), col(OUTER_COLUMN)));
    }
    return out.drop(INNER_COLUMN, OUTER_COLUMN);
  }

  /** RFC 2104: SHA-256(outer key || SHA-256(inner key || message)). */
  private static Column token(Column value, Column inner, Column outer) {
    Column innerHash = sha2(concat(inner, value.cast(DataTypes.StringType).cast(DataTypes.BinaryType)), 256);
    return sha2(concat(outer, unhex(innerHash)), 256);
  }

  @Override
  public String toString() {
    return "Pseudonymizer[HMAC-SHA256, key withheld]";
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
