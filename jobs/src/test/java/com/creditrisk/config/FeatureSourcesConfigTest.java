package com.creditrisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.config.FeatureSource.Aggregate;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Function;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.contract.ColumnType;
import com.creditrisk.errors.CreditRiskException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The feature_sources declaration: parsed from a file or --set, each bad field exit 2 by name. */
class FeatureSourcesConfigTest {
  static final String BUREAU = """
      feature_sources.bureau {
        path = "/data/bureau", format = csv, columns { customer_id = cust, event_time = inquiry_time }
        entity = customer, kind = events
        windows_days = [90, 30]
        aggregates = [count, "sum:amount", "distinct:lender"]
        cost_per_application = 0.35
      }
      feature_sources.device {
        path = "/data/device", entity = customer, kind = snapshot, attributes = [os, rooted], max_age_days = 60
      }
      feature_sources.income { path = "/data/income", entity = application, kind = application, attributes = [declared] }
      """;

  @TempDir
  Path dir;

  private CreditRiskConfig load(String text, String... sets) throws IOException {
    File f = dir.resolve("sources.conf").toFile();
    Files.writeString(f.toPath(), text);
    return CreditRiskConfig.load(List.of(f), List.of(sets));
  }

  private CreditRiskException rejected(String text, String... sets) {
    CreditRiskException e = assertThrows(CreditRiskException.class, () -> load(text, sets));
    assertEquals(2, e.exitCode(), e.getMessage());
    return e;
  }

  @Test
  void readsEverySourceWithItsFields() throws IOException {
    Map<String, FeatureSource> s = load(BUREAU).featureSources();
    assertEquals(List.of("bureau", "device", "income"), List.copyOf(s.keySet()));
    FeatureSource b = s.get("bureau");
    assertEquals(Optional.of("/data/bureau"), b.input().path());
    assertEquals(InputFormat.CSV, b.input().format());
    assertEquals("inquiry_time", b.input().sourceColumn(FeatureSource.EVENT_TIME));
    assertEquals(Entity.CUSTOMER, b.entity());
    assertEquals(Kind.EVENTS, b.kind());
    assertEquals(List.of(30, 90), b.windowsDays(), "windows sorted");
    assertEquals(List.of(new Aggregate(Function.COUNT, Optional.empty()),
        new Aggregate(Function.SUM, Optional.of("amount")), new Aggregate(Function.DISTINCT, Optional.of("lender"))),
        b.aggregates());
    assertEquals(0.35, b.costPerApplication());
    FeatureSource d = s.get("device");
    assertEquals(InputFormat.DELTA, d.input().format());
    assertEquals(List.of("os", "rooted"), d.attributes());
    assertEquals(60, d.maxAgeDays());
    assertEquals(Kind.APPLICATION, s.get("income").kind());
    // A column a sum reads is a double; a distinct count keeps the stored type; a declared type wins.
    assertEquals(Optional.of(ColumnType.DOUBLE), b.typeOf("amount"));
    assertEquals(Optional.empty(), b.typeOf("lender"));
    assertEquals(List.of("amount", "lender"), b.valueColumns());
    assertEquals(Optional.of(ColumnType.INT),
        load(BUREAU, "feature_sources.device.types.rooted=int").featureSources().get("device").typeOf("rooted"));
  }

  @Test
  void trainFeatureSourcesNamesDeclaredSources() throws IOException {
    assertEquals(List.of("device", "bureau"),
        load(BUREAU, "train.feature_sources=device,bureau").train().featureSources());
    assertNotEquals(load(BUREAU).fingerprint(), load(BUREAU, "train.feature_sources=device").fingerprint());
  }

  @Test
  void setOnTheCommandLineOverridesAField() throws IOException {
    CreditRiskConfig c = load(BUREAU, "feature_sources.bureau.windows_days=7,30",
        "feature_sources.device.max_age_days=10", "feature_sources.bureau.columns.lender=lender_code");
    assertEquals(List.of(7, 30), c.featureSources().get("bureau").windowsDays());
    assertEquals(10, c.featureSources().get("device").maxAgeDays());
    assertEquals("lender_code", c.featureSources().get("bureau").input().sourceColumn("lender"));
  }

  @Test
  void noSourceKeepsTheFingerprintOfEveryExistingConfigAndASourceChangesIt() throws IOException {
    assertEquals(CreditRiskConfig.defaults().fingerprint(), load("feature_sources {}").fingerprint());
    assertNotEquals(CreditRiskConfig.defaults().fingerprint(), load(BUREAU).fingerprint());
    assertNotEquals(load(BUREAU).fingerprint(), load(BUREAU, "feature_sources.bureau.windows_days=30").fingerprint());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "feature_sources.bureau.kind=application|feature_sources.bureau.kind|kind application for entity application",
      "feature_sources.bureau.entity=merchant|feature_sources.bureau.entity|one of customer, application",
      "feature_sources.bureau.windows_days=30,0|feature_sources.bureau.windows_days|[1, 36500]",
      "feature_sources.bureau.windows_days=30,30|feature_sources.bureau.windows_days|distinct",
      "feature_sources.bureau.aggregates=count,median:amount|feature_sources.bureau.aggregates|sum, min, max, mean",
      "feature_sources.bureau.aggregates=sum|feature_sources.bureau.aggregates|of a column",
      "feature_sources.bureau.aggregates=count:amount|feature_sources.bureau.aggregates|count, or",
      "feature_sources.bureau.cost_per_application=-1|feature_sources.bureau.cost_per_application|a number in",
      "feature_sources.device.attributes=customer_id|feature_sources.device.attributes|other than the key",
      "feature_sources.bureau.colour=red|feature_sources.bureau.colour|unknown",
      "feature_sources.bureau.types.amount=string|feature_sources.bureau.types.amount|int or double: sum reads it",
      "feature_sources.device.types.os=colour|feature_sources.device.types.os|one of string, int",
      "feature_sources.device.types.customer_id=string|feature_sources.device.types.customer_id|not the key",
      "train.feature_sources=bureau,vendor|train.feature_sources|names of declared feature_sources (bureau, device, income)",
      "train.feature_sources=bureau,bureau|train.feature_sources|without repeats",
  })
  void aBadFieldIsExitTwoNamingIt(String set, String key, String rule) {
    String m = rejected(BUREAU, set).getMessage();
    assertTrue(m.contains(key) && m.toLowerCase().contains(rule.toLowerCase()), m);
  }

  @Test
  void aSnapshotWithoutItsAgeOrAnEventsSourceWithoutWindowsOrASourceWithoutPathIsRejected() {
    assertTrue(rejected("feature_sources.d { path = x, entity = customer, kind = snapshot, attributes = [a] }")
        .getMessage().contains("feature_sources.d.max_age_days"));
    assertTrue(rejected("feature_sources.e { path = x, entity = customer, kind = events, aggregates = [count] }")
        .getMessage().contains("feature_sources.e.windows_days"));
    assertTrue(rejected("feature_sources.e { entity = customer, kind = events, windows_days = [1], aggregates = [count] }")
        .getMessage().contains("feature_sources.e.path"));
    assertTrue(rejected("feature_sources.Bad__name { path = x, entity = application, kind = application, attributes = [a] }")
        .getMessage().contains("source name"));
  }
}
