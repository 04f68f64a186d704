package com.creditrisk.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What a later stage reads of a run's {@code sources.json}: the value of each feature source. The
 * one reader of that file; {@code models.SourceValue} ({@code evaluate-sources}) is its one writer.
 * A figure the file holds as null or "NaN" (undefined, e.g. one class only) reads as NaN.
 *
 * @param runId the run that wrote it
 * @param asOfDate its as-of date, yyyy-MM-dd
 * @param modelDatasetVersion the Delta version of model_dataset it read
 * @param rows the out-of-time loans every comparison counted
 * @param approvalRate today's approval rate the strategy figures are taken at
 * @param sources each source, in the file's order
 */
public record SourcesFile(String runId, String asOfDate, long modelDatasetVersion, long rows, double approvalRate,
    List<Source> sources) {
  public static final String NAME = "sources.json";

  public SourcesFile {
    sources = List.copyOf(sources);
  }

  /**
   * One source's value.
   *
   * @param overScore the score with the source against the score alone
   * @param overOtherSources every source against every source but this one
   * @param valuePer1000 net value per 1,000 applications after the source's cost
   */
  public record Source(String name, double coverage, AucGain overScore, AucGain overOtherSources,
      double badsAvoidedPer1000Approvals, double extraApprovalsPer1000, double costPerApplication,
      double valuePer1000, String verdict) {}

  /**
   * The paired DeLong comparison of the feature set with the source against the one without, on
   * the same loans: the gain is {@code aucWith - aucWithout}.
   */
  public record AucGain(String without, String with, long n, long nBad, double aucWithout, double aucWith,
      double difference, double ciLow, double ciHigh, double pValue) {}

  /** The file of the run folder, or empty when evaluate-sources has not written one there. */
  public static Optional<SourcesFile> read(SparkSession spark, String runDir) {
    return RunFolder.readOptionalJson(spark, runDir, NAME).map(SourcesFile::parse);
  }

  /** The figures of a sources.json document. */
  public static SourcesFile parse(JsonNode j) {
    List<Source> sources = new ArrayList<>();
    for (JsonNode s : j.path("sources")) {
      JsonNode at = s.path("at_todays_approval_rate");
      sources.add(new Source(s.path("source").asText(), num(s.path("coverage")), gain(s.path("over_score")),
          gain(s.path("over_other_sources")), num(at.path("bads_avoided_per_1000_approvals")),
          num(at.path("extra_approvals_per_1000_applications")), num(s.path("cost_per_application")),
          num(s.path("net_value_per_1000_applications")), s.path("verdict").asText()));
    }
    return new SourcesFile(j.path("run_id").asText(), j.path("as_of_date").asText(),
        j.path("model_dataset").path("delta_version").asLong(-1), j.path("rows").asLong(),
        num(j.path("approval_rate_today")), sources);
  }

  private static AucGain gain(JsonNode g) {
    JsonNode ci = g.path("auc_difference_ci95");
    return new AucGain(g.path("without").asText(), g.path("with").asText(), g.path("n").asLong(),
        g.path("n_bad").asLong(), num(g.path("auc_without")), num(g.path("auc_with")), num(g.path("auc_difference")),
        num(ci.path(0)), num(ci.path(1)), num(g.path("p_value")));
  }

  private static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : n.isTextual() ? number(n.asText()) : Double.NaN;
  }

  private static double number(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
