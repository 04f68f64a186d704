package com.creditrisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RUN_IDs carry the config fingerprint, and users' run history and other tests pin them: these
 * values were computed by the code before the config registry existed, and must never change.
 * The demo's five input paths are set explicitly, as the demo sets them (they were the bundled
 * defaults when the values were recorded).
 */
class FingerprintPinTest {

  private static final List<String> DEMO_INPUTS = List.of(
      "inputs.score_snapshots.path=demo-data/score_snapshots",
      "inputs.applications.path=demo-data/applications",
      "inputs.loans.path=demo-data/loans",
      "inputs.repayments.path=demo-data/repayments",
      "inputs.loan_events.path=demo-data/loan_events");

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "8ec39fd0|",
      "3d39e62a|label.bad_dpd=60",
      "d77742dd|label.good_max_dpd=20;label.use=all;label.bad_events=charge_off",
      "2938ad41|train.class_weight=balanced",
      "6be34155|train.binning.monotonicity=ascending;train.binning.special_values=[-9, -8]",
      "b0358d5a|train.models=[scorecard, gbt];train.gbt.max_depths=[3];scorecard.pdo=40",
      "95305c9f|calibrate.method=platt;calibrate.policy=max_profit",
      "96e0c8bf|calibrate.reject_inference.method=parcelling;calibrate.segments=[\"product\", \"channel,application_month\"]",
      "e6e581ca|calibrate.reject_inference.method=none;economics.paylater.lgd=0.5",
      "576e4fff|inputs.loans.format=csv;inputs.score_snapshots.columns.score=bureau_score;inputs.extract_date=2026-06-30",
      "a9003ad0|inputs.loan_events.path=null",
      "0c5317d0|validation.psi.amber=0.2;validation.summary_max_groups=0",
      "85942cc3|spark.session_time_zone=Europe/Berlin;warehouse.path=/data/wh",
      "8ec39fd0|spark.master=local[2];run.retrain_every_days=0;spark.conf.spark.sql.shuffle.partitions=7",
      // calibrate.pd_floor came later: at its default it leaves every fingerprint above as it was.
      "8ec39fd0|calibrate.pd_floor=0.0003",
      "95305c9f|calibrate.method=platt;calibrate.policy=max_profit;calibrate.pd_floor=3e-4",
      // The data-protection keys came later too: off, and where the key is kept, change no RUN_ID.
      "8ec39fd0|privacy.pseudonymize=false;privacy.key_file=/secrets/k;output.permissions=077",
  })
  void theFingerprintOfAConfigNeverChanges(String expected, String sets) {
    List<String> overrides = new ArrayList<>(DEMO_INPUTS);
    if (sets != null) {
      overrides.addAll(Arrays.asList(sets.split(";")));
    }
    assertEquals(expected, CreditRiskConfig.load(List.of(), overrides).fingerprint(), String.valueOf(sets));
  }

  /**
   * Pseudonymized outputs differ from raw ones, so they get another RUN_ID; the key itself does not
   * enter it (docs/data-protection.md), so the fingerprint is the same whichever file holds it.
   */
  @Test
  void pseudonymizingChangesTheFingerprintAndTheKeyFileDoesNot() {
    List<String> on = new ArrayList<>(DEMO_INPUTS);
    on.add("privacy.pseudonymize=true");
    String pseudonymized = CreditRiskConfig.load(List.of(), on).fingerprint();
    assertNotEquals("8ec39fd0", pseudonymized);
    on.add("privacy.key_file=/secrets/other.key");
    assertEquals(pseudonymized, CreditRiskConfig.load(List.of(), on).fingerprint());
  }

  /** A key hashed only away from its default still changes the RUN_ID when it is set to another value. */
  @Test
  void aPdFloorOtherThanTheDefaultChangesTheFingerprint() {
    List<String> floor = new ArrayList<>(DEMO_INPUTS);
    floor.add("calibrate.pd_floor=0.001");
    CreditRiskConfig c = CreditRiskConfig.load(List.of(), floor);
    assertNotEquals("8ec39fd0", c.fingerprint());
    assertTrue(Fingerprint.canonicalText(ConfigKeys.all(), c::get).contains("pdFloor=0.001"),
        Fingerprint.canonicalText(ConfigKeys.all(), c::get));
  }
}
