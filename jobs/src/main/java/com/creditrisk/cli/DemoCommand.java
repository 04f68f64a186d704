package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.InputFormat;
import com.creditrisk.dataset.BuildDataset;
import com.creditrisk.generate.DemoDataGenerator;
import com.creditrisk.generate.DemoDataWriter;
import com.creditrisk.generate.GeneratorParams;
import com.creditrisk.ingest.InputTable;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.calibrate.CalibrateJob;
import com.creditrisk.models.ScoreApplications;
import com.creditrisk.models.TrainModels;
import com.creditrisk.validation.ValidatePipeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Run everything on demo data with the embedded default (Spark local[*], Delta folders): "
            + "generates demo data under --data-dir, builds the dataset as of the demo's extract date "
            + "into warehouse.path, trains the models, scores every application, calibrates the PDs and "
            + "chooses the cutoffs, validates every model out of time, and prints a summary "
            + "and where the tables, the model card and the validation report are.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 1 anything else."})
public class DemoCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(names = "--customers", defaultValue = "20000", description = "Demo customers (default ${DEFAULT-VALUE}).")
  long customers;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--data-dir", defaultValue = "demo-data", paramLabel = "DIR",
      description = "Where the demo's input tables go (default ${DEFAULT-VALUE}).")
  String dataDir;

  @Override
  public Integer call() {
    List<String> pointAtDemo = new ArrayList<>();
    for (InputTable t : InputTable.values()) {
      pointAtDemo.add("inputs." + t.tableName() + ".path=" + dataDir + "/" + t.tableName());
      pointAtDemo.add("inputs." + t.tableName() + ".format=delta");
    }
    CreditRiskConfig conf = config.load().with(pointAtDemo);
    PrintWriter out = spec.commandLine().getOut();
    GeneratorParams params = GeneratorParams.defaults(customers);
    params = new GeneratorParams(params.customers(), seed, params.extractDate(), params.historyMonths());
    SparkSession spark = SparkSessions.getOrCreate(conf);
    long t0 = System.nanoTime();
    var data = DemoDataGenerator.generate(spark, params);
    var rows = DemoDataWriter.write(data, dataDir, InputFormat.DELTA);
    out.printf(Locale.ROOT, "Demo data (%,d customers, seed %d) written to %s in %.0f s:%n", customers, seed, dataDir,
        (System.nanoTime() - t0) / 1e9);
    rows.forEach((t, n) -> out.printf(Locale.ROOT, "  %-16s %,12d rows%n", t, n));
    out.printf(Locale.ROOT, "%nBuilding the dataset as of %s ...%n", data.suggestedAsOf());
    out.flush();
    BuildDataset.Result r = BuildDataset.run(spark, new BuildDataset.Input(conf, data.suggestedAsOf()));
    Summary.print(out, r);
    out.printf(Locale.ROOT, "%nTraining the models as of %s ...%n", data.suggestedAsOf());
    out.flush();
    TrainModels.Result trained = TrainModels.run(spark, new TrainModels.Input(conf, data.suggestedAsOf()));
    TrainCommand.print(out, trained);
    ScoreApplications.Result scored = ScoreApplications.run(spark,
        new ScoreApplications.Input(conf, data.suggestedAsOf(), trained.runId()));
    ScoreCommand.print(out, trained.runId(), scored);
    out.printf(Locale.ROOT, "%nCalibrating PDs and choosing the cutoffs ...%n");
    out.flush();
    CalibrateJob.Result calibrated = CalibrateJob.run(spark,
        new CalibrateJob.Input(conf, data.suggestedAsOf(), trained.runId()));
    CalibrateCommand.print(out, conf, calibrated);
    out.printf(Locale.ROOT, "%nValidating the models out of time ...%n");
    out.flush();
    ValidatePipeline.Result validated = ValidatePipeline.run(spark,
        new ValidatePipeline.Input(conf, data.suggestedAsOf(), trained.runId()));
    ValidateCommand.printPipeline(out, validated);
    out.printf(Locale.ROOT, "%nThe same data as of an earlier date: bin/credit-risk build-dataset --as-of %s%n",
        data.suggestedAsOf().minusMonths(6));
    out.flush();
    return 0;
  }
}
