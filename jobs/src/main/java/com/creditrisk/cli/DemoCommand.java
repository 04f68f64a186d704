package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.InputFormat;
import com.creditrisk.generate.DemoDataGenerator;
import com.creditrisk.generate.DemoDataWriter;
import com.creditrisk.generate.DemoSources;
import com.creditrisk.generate.GeneratorParams;
import com.creditrisk.contract.InputTable;
import com.creditrisk.io.OutputFolders;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.pipeline.PipelineRun;
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
            + "generates demo data under --data-dir, then runs every stage (credit-risk run --retrain) as of "
            + "the demo's extract date: builds the dataset "
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

  /**
   * The loaded config with every input, loan_events included, and the demo's three feature sources
   * read from the demo's own data dir, whatever the config files say: the demo never mixes in a
   * lender's tables, and its RUN_ID does not depend on the bundled defaults' input paths. The
   * sources add columns to model_dataset but no feature to the trained models (train.features is
   * left as configured); evaluate-sources values them.
   */
  static CreditRiskConfig demoConfig(CreditRiskConfig loaded, String dataDir) {
    List<String> pointAtDemo = new ArrayList<>();
    for (InputTable t : InputTable.values()) {
      pointAtDemo.add("inputs." + t.tableName() + ".path=" + dataDir + "/" + t.tableName());
      pointAtDemo.add("inputs." + t.tableName() + ".format=delta");
    }
    pointAtDemo.addAll(DemoSources.config(dataDir));
    return loaded.with(pointAtDemo);
  }

  @Override
  public Integer call() {
    CreditRiskConfig conf = demoConfig(config.load(), dataDir);
    PrintWriter out = spec.commandLine().getOut();
    // Same exit 2 and message as generate, and before any Spark session or data folder exists.
    GeneratorParams params = GeneratorOptions.params(customers, seed, GeneratorParams.DEFAULT_EXTRACT_DATE,
        GeneratorParams.DEFAULT_HISTORY_MONTHS);
    OutputFolders.requireWritable("--data-dir", dataDir);
    ConfigOptions.requireWritableWarehouse(conf);
    SparkSession spark = SparkSessions.getOrCreate(conf);
    long t0 = System.nanoTime();
    var data = DemoDataGenerator.generate(spark, params);
    var rows = DemoDataWriter.write(data, dataDir, InputFormat.DELTA);
    out.printf(Locale.ROOT, "Demo data (%,d customers, seed %d) written to %s in %.0f s:%n", customers, seed, dataDir,
        (System.nanoTime() - t0) / 1e9);
    rows.forEach((t, n) -> out.printf(Locale.ROOT, "  %-16s %,12d rows%n", t, n));
    out.printf(Locale.ROOT, "%nRunning every stage as of %s (credit-risk run --as-of %s --retrain) ...%n",
        data.suggestedAsOf(), data.suggestedAsOf());
    out.flush();
    PipelineRun.Result r = PipelineRun.run(spark, new PipelineRun.Input(conf, data.suggestedAsOf(), true));
    RunCommand.print(out, conf, r);
    out.printf(Locale.ROOT, "%nThe same data as of an earlier date: bin/credit-risk build-dataset --as-of %s"
        + " --conf conf/demo.conf%n", data.suggestedAsOf().minusMonths(6));
    out.flush();
    return 0;
  }
}
