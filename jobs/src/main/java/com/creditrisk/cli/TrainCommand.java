package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.models.TrainModels;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
        "Train the configured models (train.models) on model_dataset as of a date: the score-only "
            + "baselines (logistic and isotonic), the WoE logistic scorecard and gradient-boosted trees. "
            + "Fits on the train split, tunes on test, reports exact AUC, Gini and KS on train, test and "
            + "oot. Writes runs/<RUN_ID>/models/<model> (MLlib PipelineModels), model_card.json, "
            + "model_card.md and the scorecard (scorecard.csv, scorecard.json, scorecard.sql).",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 no usable model_dataset rows for the as-of date "
            + "(run build-dataset first), 1 anything else."})
public class TrainCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.loadWritingWarehouse();
    SparkSession spark = SparkSessions.getOrCreate(conf);
    TrainModels.Result r = TrainModels.run(spark, new TrainModels.Input(conf, asOf.asOf()));
    print(spec.commandLine().getOut(), r);
    return 0;
  }

  static void print(PrintWriter out, TrainModels.Result r) {
    out.printf(Locale.ROOT, "Run %s: models trained%n", r.runId());
    out.printf(Locale.ROOT, "  %-16s %8s %8s %8s %8s%n", "model", "AUC oot", "Gini oot", "KS oot", "AUC test");
    for (TrainModels.ModelResult m : r.models().values()) {
      Discrimination.Result oot = m.metrics().get("oot");
      out.printf(Locale.ROOT, "  %-16s %8.4f %8.4f %8.4f %8.4f%n", m.name(), oot.auc(), oot.gini(), oot.ks(),
          m.metrics().get("test").auc());
    }
    out.printf(Locale.ROOT, "Models: %s/models%nModel card: %s%n", r.runDir(), r.modelCard());
    out.flush();
  }
}
