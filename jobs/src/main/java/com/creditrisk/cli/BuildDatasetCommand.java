package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.dataset.BuildDataset;
import com.creditrisk.io.SparkSessions;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "build-dataset", mixinStandardHelpOptions = true,
    description = {
        "Validate the inputs against the contract, then build the point-in-time dataset as of a date: "
            + "score features at application, DPD-based loan performance and labels (immature loans "
            + "censored), and train/test/oot splits. Writes the Delta tables loan_performance and "
            + "model_dataset under warehouse.path (a rerun with the same as-of date replaces its rows) "
            + "and runs/<RUN_ID>/run.json.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config or an as-of date after the extract date, "
            + "3 bad input data (nothing written), 1 anything else."})
public class BuildDatasetCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Mixin AsOfOption asOf;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.loadWritingWarehouse();
    LocalDate date = asOf.asOf();
    conf.requireInputs();
    SparkSession spark = SparkSessions.getOrCreate(conf);
    BuildDataset.Result r = BuildDataset.run(spark, new BuildDataset.Input(conf, date));
    DatasetSummary.print(spec.commandLine().getOut(), r);
    return 0;
  }
}
