package com.creditrisk.calibrate;

import com.creditrisk.run.RunFolder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What a later stage reads of a run's {@code cutoffs.json}: the train run it was calibrated for, the
 * policy's target and each segment's chosen cutoff. The one reader of that file; {@link CalibrateJob}
 * is its one writer.
 *
 * @param modelRunId the train run whose scores were calibrated
 * @param targetBadRate the policy's target, or null when the file holds none
 * @param chosen each segment's chosen cutoff, in the file's order
 */
public record CutoffsFile(String modelRunId, Double targetBadRate, List<ChosenCutoff> chosen) {
  public static final String NAME = "cutoffs.json";

  /** One segment's chosen cutoff; {@code cutoff} null when none qualifies. */
  public record ChosenCutoff(String scoreSource, String rejectInference, String segmentSet, String segment,
      Double cutoff) {}

  public CutoffsFile {
    chosen = List.copyOf(chosen);
  }

  /** The file of the run folder, or empty when calibrate has not written one there. */
  public static Optional<CutoffsFile> read(SparkSession spark, String runDir) {
    return RunFolder.readOptionalJson(spark, runDir, NAME).map(j -> {
      List<ChosenCutoff> chosen = new ArrayList<>();
      for (JsonNode c : j.path("cutoffs")) {
        JsonNode cutoff = c.path("chosen").path("cutoff");
        chosen.add(new ChosenCutoff(c.path("score_source").asText(), c.path("reject_inference").asText(),
            c.path("segment_set").asText(), c.path("segment").asText(), cutoff.isNumber() ? cutoff.asDouble() : null));
      }
      JsonNode target = j.path("policy").path("target_bad_rate");
      return new CutoffsFile(j.path("model_run_id").asText(), target.isNumber() ? target.asDouble() : null, chosen);
    });
  }

  /**
   * The chosen cutoff of the model's score on the whole population without reject inference, if
   * one qualifies.
   */
  public Optional<Double> modelCutoffOfAll() {
    return Optional.ofNullable(modelCutoffs().getOrDefault("all", Map.of()).get("all"));
  }

  /**
   * The chosen cutoffs of the model's score without reject inference (the one the strategy curve
   * marks), by segment set ("all" for the whole population) and segment; segments where none
   * qualifies are left out.
   */
  public Map<String, Map<String, Double>> modelCutoffs() {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (ChosenCutoff c : chosen) {
      if (CalibrateJob.SOURCE_MODEL.equals(c.scoreSource()) && "none".equals(c.rejectInference())
          && c.cutoff() != null) {
        out.computeIfAbsent(c.segmentSet(), k -> new LinkedHashMap<>()).put(c.segment(), c.cutoff());
      }
    }
    return out;
  }
}
