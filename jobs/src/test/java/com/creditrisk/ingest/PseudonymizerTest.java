package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.TestSpark;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.CreditRiskException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HMAC tokens against the JDK's HmacSHA256, and where the key may and may not come from. */
class PseudonymizerTest {
  private static final String KEY_ENV = CreditRiskConfig.PRIVACY_KEY_ENV;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static CreditRiskConfig pseudonymizing(String... more) {
    List<String> o = new ArrayList<>(List.of("privacy.pseudonymize=true"));
    o.addAll(List.of(more));
    return CreditRiskConfig.defaults().with(o);
  }

  static Pseudonymizer withKey(String key) {
    return Pseudonymizer.of(pseudonymizing(), Map.of(KEY_ENV, key)).orElseThrow();
  }

  static String hmac(String key, String message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  /** Ids of every shape: ASCII, accents, CJK, emoji, empty, longer than a SHA-256 block, a comma, a quote. */
  static List<String> ids() {
    List<String> ids = new ArrayList<>(List.of("C1", "A000123", "L000001500", "", " ", "Müller-Ω", "客户-7",
        "😀id", "a,b", "say \"x\"", "x".repeat(64), "y".repeat(65), "z".repeat(1000)));
    for (int i = 0; i < 200; i++) {
      ids.add("C" + String.format("%08d", i));
    }
    return ids;
  }

  static List<String> tokens(Pseudonymizer p, List<String> ids) {
    Dataset<Row> df = spark.createDataset(ids, Encoders.STRING()).toDF("customer_id")
        .withColumn("order", org.apache.spark.sql.functions.monotonically_increasing_id());
    return p.apply(df).orderBy("order").select(col("customer_id")).as(Encoders.STRING()).collectAsList();
  }

  @Test
  void tokensAreTheJdkHmacSha256OfTheUtf8Bytes() throws Exception {
    // Keys shorter than, equal to and longer than the 64-byte block take the three padding paths.
    for (String key : List.of("k", "secret-key-ÄÖ", "b".repeat(64), "c".repeat(100))) {
      List<String> ids = ids();
      List<String> got = tokens(withKey(key), ids);
      for (int i = 0; i < ids.size(); i++) {
        assertEquals(hmac(key, ids.get(i)), got.get(i), "key of " + key.length() + " chars, id '" + ids.get(i) + "'");
      }
    }
  }

  @Test
  void nullStaysNullAndOtherColumnsAreLeftAlone() {
    Dataset<Row> df = spark.sql("select cast(null as string) as loan_id, 'A1' as application_id, 'x' as product");
    Row r = withKey("k").apply(df).first();
    assertNull(r.getAs("loan_id"));
    assertEquals(64, r.<String>getAs("application_id").length());
    assertEquals("x", r.getAs("product"));
    assertEquals(List.of("loan_id", "application_id", "product"), List.of(withKey("k").apply(df).columns()));
  }

  @Test
  void sameKeyGivesSameTokensAndAnotherKeyDisjointOnes() {
    List<String> ids = ids();
    List<String> first = tokens(withKey("key-one"), ids);
    assertEquals(first, tokens(withKey("key-one"), ids));
    Set<String> other = new HashSet<>(tokens(withKey("key-two"), ids));
    assertEquals(ids.size(), new HashSet<>(first).size());
    assertTrue(first.stream().noneMatch(other::contains));
  }

  @Test
  void keyFileBytesWithoutTrailingLineBreaksAreTheKey(@TempDir Path dir) throws Exception {
    Path f = keyFile(dir, "the-key\n", "rw-------");
    Pseudonymizer fromFile = Pseudonymizer.of(pseudonymizing("privacy.key_file=" + f), Map.of()).orElseThrow();
    assertEquals(List.of(hmac("the-key", "C1")), tokens(fromFile, List.of("C1")));
  }

  @Test
  void noKeyIsExit2NamingBothPlacesAKeyMayComeFrom() {
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> Pseudonymizer.of(pseudonymizing(), Map.of()));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains("privacy.key_file") && e.getMessage().contains(KEY_ENV), e.getMessage());
  }

  @Test
  void aKeyFileOthersMayReadIsRefusedWithTheFix(@TempDir Path dir) throws Exception {
    for (String perms : List.of("rw-r-----", "rw----r--", "rw-r--r--")) {
      Path f = keyFile(dir, "the-key", perms);
      CreditRiskException e = assertThrows(CreditRiskException.class,
          () -> Pseudonymizer.of(pseudonymizing("privacy.key_file=" + f), Map.of(KEY_ENV, "env-key")));
      assertEquals(2, e.exitCode());
      assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("chmod 600"), e.getMessage());
      assertFalse(e.getMessage().contains("the-key"), e.getMessage());
    }
  }

  @Test
  void anEmptyKeyIsRefused(@TempDir Path dir) throws Exception {
    Path f = keyFile(dir, "\n\n", "rw-------");
    assertEquals(2, assertThrows(CreditRiskException.class,
        () -> Pseudonymizer.of(pseudonymizing("privacy.key_file=" + f), Map.of())).exitCode());
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> Pseudonymizer.of(pseudonymizing(), Map.of(KEY_ENV, "")));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains(KEY_ENV), e.getMessage());
  }

  @Test
  void aMissingKeyFileIsExit2NamingThePath(@TempDir Path dir) {
    Path f = dir.resolve("absent.key");
    CreditRiskException e = assertThrows(CreditRiskException.class,
        () -> Pseudonymizer.of(pseudonymizing("privacy.key_file=" + f), Map.of()));
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void offByDefaultAndTheKeyNeverShowsInItsText() {
    assertTrue(Pseudonymizer.of(CreditRiskConfig.defaults(), Map.of(KEY_ENV, "k")).isEmpty());
    assertFalse(withKey("very-secret").toString().contains("very-secret"));
  }

  static Path keyFile(Path dir, String content, String perms) throws Exception {
    Path f = dir.resolve("privacy-" + perms.replace('-', '_') + ".key");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }
}
