package com.creditrisk.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The run record of build-dataset, {@code runs/<RUN_ID>/run.json}: what was read, what was built
 * and written, and how long each step took. Its JSON keys and their order are part of the output
 * contract (DESIGN.md); dates and instants are written as ISO text.
 *
 * @param inputs per input table: path, format and version or file fingerprint
 * @param ootMonths the application months of the out-of-time split
 * @param timingsMs wall time per step
 */
@JsonPropertyOrder({"run_id", "command", "as_of_date", "extract_date", "extract_date_source", "code_version",
    "spark_version", "config_fingerprint", "config", "inputs", "row_counts", "mature_labelled", "oot_months",
    "excluded", "score_at_application", "feature_sources", "outputs", "started_at", "finished_at", "timings_ms"})
public record RunManifest(
    @JsonProperty("run_id") String runId,
    @JsonProperty("as_of_date") @JsonSerialize(using = ToStringSerializer.class) LocalDate asOf,
    @JsonProperty("extract_date") @JsonSerialize(using = ToStringSerializer.class) LocalDate extractDate,
    @JsonProperty("extract_date_source") String extractDateSource,
    @JsonProperty("code_version") String codeVersion,
    @JsonProperty("spark_version") String sparkVersion,
    @JsonProperty("config_fingerprint") String configFingerprint,
    Map<String, Object> config,
    Map<String, Map<String, Object>> inputs,
    @JsonProperty("row_counts") RowCounts rowCounts,
    @JsonProperty("mature_labelled") MatureLabelled matureLabelled,
    @JsonProperty("oot_months") List<String> ootMonths,
    List<Exclusion> excluded,
    @JsonProperty("score_at_application") ScoreAtApplication scoreAtApplication,
    @JsonProperty("feature_sources") @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, FeatureSourceRun> featureSources,
    Outputs outputs,
    @JsonProperty("started_at") @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
    @JsonProperty("finished_at") @JsonSerialize(using = ToStringSerializer.class) Instant finishedAt,
    @JsonProperty("timings_ms") Map<String, Long> timingsMs) {

  /** A run record without feature sources: its JSON is the one written before sources existed. */
  public RunManifest(String runId, LocalDate asOf, LocalDate extractDate, String extractDateSource, String codeVersion,
      String sparkVersion, String configFingerprint, Map<String, Object> config, Map<String, Map<String, Object>> inputs,
      RowCounts rowCounts, MatureLabelled matureLabelled, List<String> ootMonths, List<Exclusion> excluded,
      ScoreAtApplication scoreAtApplication, Outputs outputs, Instant startedAt, Instant finishedAt,
      Map<String, Long> timingsMs) {
    this(runId, asOf, extractDate, extractDateSource, codeVersion, sparkVersion, configFingerprint, config, inputs,
        rowCounts, matureLabelled, ootMonths, excluded, scoreAtApplication, Map.of(), outputs, startedAt, finishedAt,
        timingsMs);
  }

  @JsonProperty("command")
  public String command() {
    return "build-dataset";
  }

  /**
   * Rows per table.
   *
   * @param inputs per input table: rows read, and rows set aside by reason
   * @param loanPerformance loans by status
   * @param modelDataset applications by status
   * @param splits applications by split
   */
  @JsonPropertyOrder({"inputs", "loan_performance", "model_dataset", "splits"})
  public record RowCounts(Map<String, Map<String, Long>> inputs,
      @JsonProperty("loan_performance") Map<String, Long> loanPerformance,
      @JsonProperty("model_dataset") Map<String, Long> modelDataset, Map<String, Long> splits) {}

  /** Mature loans labelled bad or good, whichever split they are in. */
  @JsonPropertyOrder({"good", "bad"})
  public record MatureLabelled(long good, long bad) {
    /** The bad rate, or NaN when there are none. */
    public double badRate() {
      return bad + good == 0 ? Double.NaN : (double) bad / (bad + good);
    }
  }

  /** Rows of an input set aside, and why; each count also appears under row_counts.inputs. */
  @JsonPropertyOrder({"table", "reason", "rows", "meaning"})
  public record Exclusion(String table, String reason, long rows, String meaning) {}

  /**
   * How the score at application was found, and how it compares with the score the decision
   * system logged.
   *
   * @param missing applications without a usable score, for one of the three reasons that follow
   * @param decisionScoreDiffers logged and rebuilt scores both present but different
   * @param decisionScoreWithoutUsableScore a score logged while no usable score existed
   */
  @JsonPropertyOrder({"missing", "no_snapshot", "stale", "only_after_application", "decision_score_present",
      "decision_score_differs", "decision_score_without_usable_score"})
  public record ScoreAtApplication(long missing,
      @JsonProperty("no_snapshot") long noSnapshot,
      long stale,
      @JsonProperty("only_after_application") long onlyAfterApplication,
      @JsonProperty("decision_score_present") long decisionScorePresent,
      @JsonProperty("decision_score_differs") long decisionScoreDiffers,
      @JsonProperty("decision_score_without_usable_score") long decisionScoreWithoutUsableScore) {}

  /**
   * One feature source of the run: what was read, its rows (read, with a key of no customer or
   * application, dated after the as-of date), and the applications by why they have no data from it.
   *
   * @param missingReasons applications of model_dataset per {@code <source>__missing_reason}
   */
  @JsonPropertyOrder({"input", "rows", "applications_with_data", "missing_reasons"})
  public record FeatureSourceRun(Map<String, Object> input, Map<String, Long> rows,
      @JsonProperty("applications_with_data") long applicationsWithData,
      @JsonProperty("missing_reasons") Map<String, Long> missingReasons) {}

  /** The two tables written. */
  @JsonPropertyOrder({"loan_performance", "model_dataset"})
  public record Outputs(@JsonProperty("loan_performance") Output loanPerformance,
      @JsonProperty("model_dataset") Output modelDataset) {}

  /** A table written: where, and the Delta version that holds this run's rows. */
  @JsonPropertyOrder({"path", "delta_version"})
  public record Output(String path, @JsonProperty("delta_version") long deltaVersion) {}
}
