package com.creditrisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.contract.InputTable;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The registry against what derives from it: conf/defaults.conf, the fingerprint, docs/configuration.md. */
class ConfigurationPageTest {
  private static final Path ROOT = Path.of("..");

  private static Config parse(String file) {
    File f = ROOT.resolve(file).toFile();
    assertTrue(f.isFile(), f.getAbsolutePath());
    return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
  }

  @Test
  void eachKeyIsDeclaredOnce() {
    Set<String> seen = new HashSet<>();
    for (ConfigKey<?> k : ConfigKeys.all()) {
      assertTrue(seen.add(k.key()), "declared twice: " + k);
      assertFalse(k.doc().isBlank(), k.key());
    }
  }

  @Test
  void theDefaultsFileHoldsEveryKeyWithItsRegistryDefaultAndNothingElse() {
    Config file = parse("conf/defaults.conf");
    ConfigLoader.rejectUnknownKeys(file);
    ConfigReader r = new ConfigReader(file);
    for (ConfigKey<?> k : ConfigKeys.all()) {
      assertTrue(file.hasPathOrNull(k.key()), "conf/defaults.conf does not set " + k);
      assertEquals(k.defaultValue(), r.get(k), "default of " + k);
    }
  }

  @Test
  void theBundledDefaultsNameNoInput() {
    CreditRiskConfig c = CreditRiskConfig.defaults();
    for (InputTable t : InputTable.values()) {
      assertTrue(c.input(t).path().isEmpty(), t.tableName());
    }
  }

  @Test
  void everyKeyThatChangesResultsIsInTheFingerprintAndNoOtherIs() {
    CreditRiskConfig c = CreditRiskConfig.defaults();
    List<ConfigKey<?>> all = ConfigKeys.all();
    String text = Fingerprint.canonicalText(all, c::get);
    for (ConfigKey<?> k : all) {
      String name = (k.section() == null ? k.key() : k.field()) + "=";
      // A key added after RUN_IDs were recorded is hashed only away from its default.
      assertEquals(k.changesResults() && !k.hashedUnlessDefault(), text.contains(name), k + " in:\n" + text);
    }
    assertEquals(c.fingerprint(), Fingerprint.of(all, c::get));
  }

  @Test
  void aKeyOutsideTheFingerprintDoesNotChangeIt() {
    String base = CreditRiskConfig.defaults().fingerprint();
    assertEquals(base, CreditRiskConfig.load(List.of(), List.of("run.retrain_every_days=0")).fingerprint());
  }

  @ParameterizedTest
  @ValueSource(strings = {"conf/local.conf", "conf/cluster.conf", "conf/demo.conf"})
  void theBundledProfilesLoad(String profile) {
    CreditRiskConfig c = CreditRiskConfig.load(List.of(ROOT.resolve(profile).toFile()), List.of());
    if (!profile.equals("conf/local.conf")) {
      c.requireInputs();
    }
  }

  @Test
  void theConfigurationPageIsGeneratedFromTheRegistry() throws IOException {
    Path page = ROOT.resolve("docs/configuration.md");
    String generated = ConfigurationPage.render();
    if (Boolean.getBoolean("config.page.write")) {
      Files.writeString(page, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(page) ? Files.readString(page, StandardCharsets.UTF_8) : "";
    assertEquals(generated, committed, "docs/configuration.md differs from the config registry; regenerate it with: "
        + ConfigurationPage.REGENERATE);
  }
}
