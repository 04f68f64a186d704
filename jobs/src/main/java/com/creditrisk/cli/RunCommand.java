package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.pipeline.PipelineRun;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Run every stage as of a date in one Spark application: build-dataset, train (when the last "
            + "train run of this config is run.retrain_every_days old or more, or with --retrain), score, "
            + "calibrate, evaluate-sources (when feature_sources declares a source; writes sources.json) and "
            + "validate. Writes runs/<RUN_ID>/pipeline.json with each stage's time and figures and, "
            + "per table, the Delta version written with the rows and a content checksum of this run's "
            + "rows. A rerun with the same as-of date and config replaces the same rows.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 bad input data, 4 --gate red and the validation verdict is "
            + "red (after everything is written), 1 anything else."})
public class RunCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Option(names = "--retrain", description = "Train even when the last train run is recent enough.")
  boolean retrain;

  @Option(names = "--gate", paramLabel = "red",
      description = "red: exit 4 when the validation verdict is red, after every output is written.")
  String gate;

  @Override
  public Integer call() {
    if (gate != null && !gate.equalsIgnoreCase("red")) {
      throw Errors.badUsage("Invalid --gate: '" + gate + "' (red)");
    }
    CreditRiskConfig conf = config.loadWritingWarehouse();
    java.time.LocalDate date = asOf.asOf();
    conf.requireInputs();
    SparkSession spark = SparkSessions.getOrCreate(conf);
    PipelineRun.Result r = PipelineRun.run(spark, new PipelineRun.Input(conf, date, retrain));
    print(spec.commandLine().getOut(), conf, r);
    if (gate != null) {
      ValidateCommand.failIfRed(r.validated());
    }
    return 0;
  }

  static void print(PrintWriter out, CreditRiskConfig conf, PipelineRun.Result r) {
    DatasetSummary.print(out, r.built());
    out.println();
    if (r.training() != null) {
      TrainCommand.print(out, r.training());
    } else {
      out.printf(Locale.ROOT, "Train skipped (%s): scoring with the models of run %s%n", r.trainReason(), r.modelRunId());
    }
    ScoreCommand.print(out, r.modelRunId(), r.scored());
    out.println();
    CalibrateCommand.print(out, conf, r.calibrated());
    out.println();
    if (r.sources() != null) {
      EvaluateSourcesCommand.print(out, r.sources());
      out.println();
    }
    ValidateCommand.printPipeline(out, r.validated());
    out.println();
    out.printf(Locale.ROOT, "Run %s, stages:%n", r.runId());
    r.stages().forEach(s -> out.printf(Locale.ROOT, "  %-16s %6.1f s%n", s.name(), s.elapsedMs() / 1000.0));
    out.printf(Locale.ROOT, "Pipeline record (table versions, rows, checksums): %s%n", r.pipelineJson());
    out.flush();
  }
}
