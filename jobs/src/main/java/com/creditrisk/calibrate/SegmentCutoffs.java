package com.creditrisk.calibrate;

import com.creditrisk.calibrate.CalibrateJob.Choice;
import com.creditrisk.calibrate.CalibrateJob.Chosen;
import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.cutoffs.CurveSummary;
import com.creditrisk.cutoffs.CutoffPolicy;
import com.creditrisk.cutoffs.CutoffRule;
import com.creditrisk.cutoffs.PolicyCutoff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Each segment's cutoff under every policy of {@link CutoffPolicy}, the configured one as the
 * choice, and whether the segment has enough observed bads to decide. The rule is
 * {@link CutoffRule}'s; this class only applies calibrate's settings and segment keys to it.
 */
final class SegmentCutoffs {
  private SegmentCutoffs() {}

  /** Every policy on every key of the written curve; one small query per policy and one for the summaries. */
  static List<Choice> choose(Dataset<Row> curve, CalibrateConfig cc) {
    Map<List<String>, Map<String, PolicyCutoff>> byKey = new LinkedHashMap<>();
    for (CalibrateConfig.Policy kind : CalibrateConfig.Policy.values()) {
      CutoffRule rule = new CutoffRule(kind, cc.targetBadRate(), cc.minApprovalRate(), cc.confidence());
      CutoffPolicy.pick(curve, CalibrateJob.KEYS, rule, true).forEach((key, cutoff) ->
          byKey.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(kind.configName(), cutoff));
    }
    Map<List<String>, CurveSummary> summary = CurveSummary.of(curve, CalibrateJob.KEYS);
    String policy = cc.policy().configName();
    List<Choice> out = new ArrayList<>();
    for (Map.Entry<List<String>, Map<String, PolicyCutoff>> e : byKey.entrySet()) {
      List<String> k = e.getKey();
      CurveSummary s = summary.get(k);
      // Observed bads decide "too small": reject inference adds inferred bads, not evidence. They
      // are a property of the segment, so counted on the model's score, which every row has.
      CurveSummary plain = summary.get(List.of(CalibrateJob.SOURCE_MODEL, "none", k.get(2), k.get(3)));
      long observed = Math.round(plain.bads());
      boolean tooSmall = observed < cc.minBads();
      PolicyCutoff cutoff = e.getValue().get(policy);
      String note = tooSmall ? String.format(Locale.ROOT, "too small to decide: %d observed bads < calibrate.min_bads"
          + " %d; use the cutoff of a wider segment", observed, cc.minBads()) : null;
      Chosen chosen = new Chosen(cutoff, policy, s.nTotal(), s.candidates(), s.edgeScore(),
          !tooSmall && cutoff.cutoff() != null, note);
      out.add(new Choice(k.get(0), k.get(1), k.get(2), k.get(3), e.getValue(), chosen, observed, tooSmall));
    }
    return out;
  }
}
