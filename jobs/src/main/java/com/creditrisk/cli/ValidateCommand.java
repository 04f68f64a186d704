package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.cutoffs.TargetCutoffs;
import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.SparkJobCounter;
import com.creditrisk.io.OutputFolders;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.pipeline.ValidateStage;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.SmallCells;
import com.creditrisk.run.RunFolder;
import com.creditrisk.validation.PdAccuracy;
import com.creditrisk.validation.MetricsFile;
import com.creditrisk.validation.TrafficLights;
import com.creditrisk.validation.ValidateScores;
import com.creditrisk.validation.ValidationReport;
import com.creditrisk.validation.ValidationResult;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {
        // picocli formats description lines as format strings: a literal percent sign is written %%.
        "The validation pack on any scored table (CSV, Parquet or Delta), with no as-of date: exact AUC with its "
            + "DeLong standard error and 95%% interval, Gini, KS; with a PD column the Brier score, Hosmer-Lemeshow "
            + "and Jeffreys tests per grade and for the portfolio; rank ordering of score bands; PSI against a "
            + "baseline and per month; cutoffs for bad-rate targets; traffic lights (conf validation.*) and a "
            + "verdict. Writes DIR/metrics.json and the report DIR/report.html.",
        "",
        "validate --as-of DATE [--model RUN_ID] validates every model of a train run on its out-of-time rows of "
            + "scored_applications (score = model_score, PD, risk grade; development AUC = the model card's test "
            + "AUC; PSI per application month against every application of the development months; paired DeLong "
            + "against score_logistic), with calibrate's strategy curve and the vintage curves and, with feature "
            + "sources, the value of each (the run's sources.json) and the CSI of the source features. Writes "
            + "runs/RUN_ID/metrics.json, report.html (the deployed model, calibrate.model), report-MODEL.html and "
            + "the Delta table validation_metrics (a rerun replaces the run's rows).",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 bad input data (unreadable table, missing column, a label that "
            + "is not 0/1 without --bad-value, one class only, null or NaN scores or PDs; nothing written), "
            + "4 --gate red and the verdict is red (metrics.json is written first), 1 anything else. With --as-of, "
            + "3 also means no model card or no scored applications for the run."})
public class ValidateCommand implements Callable<Integer> {
  // Loaded on first use, not with the command object (see BinCommand.Log).
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(ValidateCommand.class);
  }

  @Mixin ConfigOptions config;
  @Mixin LabelledTableOptions table;
  @Spec CommandSpec spec;

  @Option(names = "--as-of", paramLabel = "DATE", description = "Pipeline mode: validate every model of a train "
      + "run on its out-of-time rows of scored_applications as of this date (instead of --scores).")
  String asOf;

  @Option(names = "--model", paramLabel = "RUN_ID", description = "With --as-of: the train run whose models were "
      + "scored (default: the run of this as-of date and config).")
  String model;

  @Option(names = "--scores", paramLabel = "PATH",
      description = "The scored table: a CSV file or folder (header row, RFC 4180 quoting, types inferred), Parquet "
          + "or Delta.")
  String scores;

  @Option(names = "--score-col", paramLabel = "C", description = "The numeric score column.")
  String scoreCol;

  @Option(names = "--higher-is", defaultValue = "safe", paramLabel = "safe|risk",
      description = "Whether a higher score is safer (default ${DEFAULT-VALUE}) or riskier.")
  String higherIs;

  @Option(names = "--pd-col", paramLabel = "P", description = "A PD column in [0, 1]: Brier, Hosmer-Lemeshow, Jeffreys.")
  String pdCol;

  @Option(names = "--grade-col", paramLabel = "G",
      description = "The risk grade column (default: grades from the PD by conf grades.pd_upper_bounds).")
  String gradeCol;

  @Option(names = "--baseline", paramLabel = "PATH",
      description = "The development sample (same score column, format detected): PSI, and CSI of --csi-cols.")
  String baseline;

  @Option(names = "--month-col", paramLabel = "M", description = "A month (or any period) column: PSI per month "
      + "against --baseline, or without one against the first month.")
  String monthCol;

  @Option(names = "--csi-cols", split = ",", paramLabel = "COL",
      description = "Numeric features whose CSI against --baseline is reported.")
  List<String> csiCols = new ArrayList<>();

  @Option(names = "--compare-col", paramLabel = "C2", description = "A second score column on the same rows, "
      + "oriented like --score-col: the paired DeLong test of the AUC difference.")
  String compareCol;

  @Option(names = "--dev-auc", paramLabel = "AUC",
      description = "The AUC at development: a drop beyond validation.auc_drop.* DeLong SEs is amber or red.")
  Double devAuc;

  @Option(names = "--target-bad-rate", split = ",", paramLabel = "T",
      description = "Bad-rate targets of the cutoffs, e.g. 0.05,0.1.")
  List<Double> targets = new ArrayList<>();

  @Option(names = "--gate", paramLabel = "red", description = "red: exit 4 when the verdict is red (after writing).")
  String gate;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder of --scores.")
  String out;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.load();
    if (gate != null && !gate.equalsIgnoreCase("red")) {
      throw Errors.badUsage("Invalid --gate: '" + gate + "' (red)");
    }
    if ((scores == null) == (asOf == null)) {
      throw Errors.badUsage("Invalid options: give either --scores PATH (any scored table) or --as-of DATE (the "
          + "pipeline's scored applications), not " + (scores == null ? "neither" : "both"));
    }
    return scores != null ? validateScores(conf) : validatePipeline(conf);
  }

  private int validateScores(CreditRiskConfig conf) {
    List<String> missing = new ArrayList<>();
    if (scoreCol == null) {
      missing.add("--score-col");
    }
    if (table.labelCol == null) {
      missing.add("--label-col");
    }
    if (out == null) {
      missing.add("--out");
    }
    if (model != null) {
      throw Errors.badUsage("Invalid option --model: it names a train run, for validate --as-of only");
    }
    if (!missing.isEmpty()) {
      throw Errors.badUsage("Missing required option(s) of validate --scores: " + String.join(", ", missing));
    }
    String higher = higherIs.toLowerCase(Locale.ROOT);
    if (!higher.equals("safe") && !higher.equals("risk")) {
      throw Errors.badUsage("Invalid --higher-is: '" + higherIs + "' (safe or risk)");
    }
    ValidateScores.Input in = new ValidateScores.Input(scores, table.format(), scoreCol, table.labelCol,
        table.badValue, higher.equals("safe"), pdCol, gradeCol, monthCol, baseline, compareCol, csiCols, targets,
        devAuc, out);
    OutputFolders.requireWritable("--out", out);
    SmallCells cells = new SmallCells(conf.minCellCount());
    // A small local CSV is counted in this JVM: Spark's start-up would be most of the run.
    ValidateScores.Local local = ValidateScores.runLocal(conf, in);
    ValidationResult r;
    org.apache.hadoop.conf.Configuration hadoopConf;
    int jobCount;
    if (local.result() != null) {
      r = local.result();
      hadoopConf = local.hadoopConf();
      jobCount = 0;
    } else {
      Log.LOG.info("validate: Spark reads the files ({})", local.sparkBecause());
      // The baseline's format is always detected (ValidateScores), whatever --format says of --scores.
      SparkSession spark = SparkSessions.getOrCreateForInputs(conf,
          new SparkSessions.TableInput(scores, table.format()), new SparkSessions.TableInput(baseline, null));
      SparkJobCounter jobs = SparkJobCounter.start(spark);
      try (jobs) {
        r = ValidateScores.run(spark, conf, in);
      }
      hadoopConf = spark.sparkContext().hadoopConfiguration();
      jobCount = jobs.jobs();
    }
    ReportModel report = ValidationReport.forScores(r, cells);
    MetricsFile.write(hadoopConf, out, ValidationReport.metricsJson(r, report, cells));
    ValidationReport.write(hadoopConf, out, "report.html", report, cells);
    Log.LOG.info("validate: verdict {}, {} Spark jobs", r.verdict(), jobCount);
    print(spec.commandLine().getOut(), r, out, jobCount);
    if (gate != null && r.verdict().equals(TrafficLights.RED)) {
      throw gateFailed(redLights(r.lights(), ""), out + "/metrics.json");
    }
    return 0;
  }

  private int validatePipeline(CreditRiskConfig conf) {
    List<String> scoresOnly = Stream.of("--score-col", "--label-col", "--bad-value", "--format", "--higher-is",
        "--pd-col", "--grade-col", "--baseline", "--month-col", "--csi-cols", "--compare-col", "--dev-auc",
        "--target-bad-rate", "--out").filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
    if (!scoresOnly.isEmpty()) {
      throw Errors.badUsage("Invalid options with --as-of: " + String.join(", ", scoresOnly) + " apply to validate "
          + "--scores only (--as-of reads the columns of scored_applications and writes into the run folder)");
    }
    LocalDate date = AsOfOption.date("--as-of", asOf);
    String modelRun = model != null ? model : RunFolder.runId(date, conf);
    ConfigOptions.requireWritableWarehouse(conf);
    SparkSession spark = SparkSessions.getOrCreate(conf);
    ValidateStage.Result r = ValidateStage.run(spark, new ValidateStage.Input(conf, date, modelRun));
    printPipeline(spec.commandLine().getOut(), r);
    if (gate != null) {
      failIfRed(r);
    }
    return 0;
  }

  /** The gate of a pipeline validation (also {@code run --gate red}): exit 4 when the verdict is red. */
  static void failIfRed(ValidateStage.Result r) {
    if (r.verdict().equals(TrafficLights.RED)) {
      List<String> red = new ArrayList<>();
      r.models().forEach((m, v) -> red.addAll(redLights(v.lights(), m + " ")));
      throw gateFailed(red, r.runDir() + "/metrics.json");
    }
  }

  private static List<String> redLights(List<TrafficLights.Light> lights, String prefix) {
    return lights.stream().filter(l -> l.counts() && l.level().equals(TrafficLights.RED))
        .map(l -> prefix + l.check() + (l.subject() == null ? "" : " " + l.subject())).toList();
  }

  private static CreditRiskException gateFailed(List<String> red, String written) {
    return Errors.validationGateFailed(red, written);
  }

  /** The headline of a pipeline validation: oot AUC with its interval per model, the verdict, where the report is. */
  static void printPipeline(PrintWriter w, ValidateStage.Result r) {
    w.printf(Locale.ROOT, "Validated the models of run %s out of time (split oot of scored_applications):%n",
        r.modelRunId());
    r.models().forEach((m, v) -> {
      var d = v.discrimination();
      w.printf(Locale.ROOT, "  %-16s AUC %.4f (95%% CI %.4f..%.4f)  Gini %.4f  KS %.4f  %,d loans (%,d bad)%s  %s%n",
          m, d.auc(), d.aucCi95().lo(), d.aucCi95().hi(), d.gini(), d.ks(), d.n(), d.nBad(),
          v.paired() == null ? "" : String.format(Locale.ROOT, "  vs %s %+.4f (p %.3g)", v.source().compareCol(),
              v.paired().difference(), v.paired().pValue()), v.verdict());
    });
    w.println("Verdict: " + r.verdict() + " (the worst over the models)");
    w.println("Report: " + r.reportPath() + (r.strategyShown() ? "" : " (no strategy curve: run calibrate first)"));
    w.println("Metrics: " + r.runDir() + "/metrics.json; table " + r.tablePath() + " (Delta version "
        + r.tableVersion() + ")");
    w.flush();
  }

  private static void print(PrintWriter w, ValidationResult r, String out, int jobs) {
    var d = r.discrimination();
    w.printf(Locale.ROOT, "Validated %s (%s): %,d rows used (%,d bad) of %,d read; excluded: %s%n",
        r.source().path(), r.source().format(), d.n(), d.nBad(), r.rowsRead(), r.excluded());
    w.printf(Locale.ROOT, "  AUC %.4f (SE %.4f, 95%% CI %.4f..%.4f)  Gini %.4f  KS %.4f at score %s%n", d.auc(),
        d.aucSe(), d.aucCi95().lo(), d.aucCi95().hi(), d.gini(), d.ks(), d.ksScore());
    if (r.calibration() != null) {
      PdAccuracy.Jeffreys p = r.jeffreysPortfolio();
      w.printf(Locale.ROOT, "  Brier %.5f  HL chi2 %.3f df %d p %s  Jeffreys portfolio p %.4g (mean PD %.4f, "
          + "observed %.4f)%n", r.calibration().brier(), r.hosmerLemeshow().chi2(), r.hosmerLemeshow().df(),
          r.hosmerLemeshow().pValue(), p.pValue(), p.meanPd(), p.observedRate());
    }
    if (r.psi() != null) {
      w.printf(Locale.ROOT, "  PSI %.4f (%s)%n", r.psi().value(), r.psi().band());
    }
    w.printf(Locale.ROOT, "  Rank ordering: %d bands, %d breaks%n", r.rankOrdering().bands().size(),
        r.rankOrdering().breaks().size());
    if (r.paired() != null) {
      var p = r.paired();
      w.printf(Locale.ROOT, "  Paired DeLong vs %s: AUC %.4f - %.4f = %.4f (SE %.4f, z %.2f, p %.3g)%n",
          r.source().compareCol(), p.aucA(), p.aucB(), p.difference(), p.se(), p.z(), p.pValue());
    }
    for (TargetCutoffs.Cutoff c : r.cutoffs()) {
      w.printf(Locale.ROOT, "  Target bad rate %s: %s%n", c.targetBadRate(), c.cutoff() == null
          ? "no cutoff qualifies"
          : String.format(Locale.ROOT, "cutoff %s (approval %.4f, bad rate %.4f), conservative %s", c.cutoff(),
              c.approvalRate(), c.badRate(), c.cutoffConservative()));
    }
    for (TrafficLights.Light l : r.lights()) {
      if (!l.level().equals(TrafficLights.GREEN)) {
        w.printf(Locale.ROOT, "  %-5s %s%s = %.4g%s%n", l.level(), l.check(), l.subject() == null ? "" : " " + l.subject(),
            l.value(), l.counts() ? "" : " (listed)");
      }
    }
    w.println("Verdict: " + r.verdict());
    w.println("Wrote " + out + "/metrics.json and " + out + "/report.html");
    w.printf(Locale.ROOT, "Spark jobs: %d%n", jobs);
    w.flush();
  }
}
