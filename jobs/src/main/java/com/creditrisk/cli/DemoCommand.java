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
import com.creditrisk.monitoring.MonitorJob;
import com.creditrisk.pipeline.PipelineRun;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.YearMonth;
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
            + "generates demo data under --data-dir, then runs every stage (credit-risk run) as of the last "
            + "day of each of the demo's last 6 months, the first as run --retrain and the others retraining "
            + "by run's rule with the demo's " + DemoCommand.RETRAIN_EVERY_DAYS + " (a --set wins; only the first "
            + "date trains) and valuing the feature sources (evaluate-sources) at the last date only: builds the dataset "
            + "into warehouse.path, trains the models, scores every application, calibrates the PDs and "
            + "chooses the cutoffs, validates every model out of time. Prints one line per earlier month, "
            + "the last month's summary and where its tables, model card and validation report are, then "
            + "runs credit-risk monitor over the 6 months and prints its verdict and report.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 1 anything else (the demo does not gate on a red verdict)."})
public class DemoCommand implements Callable<Integer> {
  /** Monthly as-of dates the demo runs, ending with the extract date: enough for monitor to show trends. */
  static final int MONTHS = 6;

  /**
   * The demo's retraining interval, set before the user's --set overrides (so one of those wins):
   * only the first month trains (the last is 153 days later, under 180), so the five months after
   * it score with models that age, which is what monitoring watches, and the demo trains once
   * instead of six times (run.retrain_every_days' default, 28, retrains every month).
   */
  static final String RETRAIN_EVERY_DAYS = "run.retrain_every_days=180";

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

  /** The config files and --set values, with the demo's retraining interval below the --set values, on its data. */
  static CreditRiskConfig demoConfig(ConfigOptions options, String dataDir) {
    List<String> sets = new ArrayList<>(List.of(RETRAIN_EVERY_DAYS));
    sets.addAll(options.overrides);
    return demoConfig(CreditRiskConfig.load(options.confFiles, sets), dataDir);
  }

  /** The last day of each of the {@link #MONTHS} months ending with {@code last}'s month, then {@code last}. */
  static List<LocalDate> asOfDates(LocalDate last) {
    List<LocalDate> out = new ArrayList<>();
    for (int back = MONTHS - 1; back > 0; back--) {
      out.add(YearMonth.from(last).minusMonths(back).atEndOfMonth());
    }
    out.add(last);
    return out;
  }

  @Override
  public Integer call() {
    CreditRiskConfig conf = demoConfig(config, dataDir);
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
    List<LocalDate> dates = asOfDates(data.suggestedAsOf());
    LocalDate first = dates.get(0);
    LocalDate last = dates.get(dates.size() - 1);
    out.printf(Locale.ROOT, "%nRunning every stage monthly as of %s .. %s (credit-risk run --as-of DATE, the first "
        + "with --retrain; run.retrain_every_days = %d) ...%n", first, last, conf.retrainEveryDays());
    out.flush();
    PipelineRun.Result r = null;
    for (LocalDate d : dates) {
      long t = System.nanoTime();
      // Sources are valued at the last date only: the earlier dates' sources.json would be read by
      // nothing (validate's report only shows it; monitor does not read it), and valuing them is
      // the dearest stage after train.
      r = PipelineRun.run(spark, new PipelineRun.Input(conf, d, d.equals(first), d.equals(last)));
      if (!d.equals(last)) {
        out.printf(Locale.ROOT, "  %s  run %s  %-34s verdict %-5s  %4.0f s%n", d, r.runId(),
            r.trained() ? "trained" : "models of " + r.modelRunId(), r.validated().verdict(),
            (System.nanoTime() - t) / 1e9);
        out.flush();
      }
    }
    out.println();
    RunCommand.print(out, conf, r);
    out.printf(Locale.ROOT, "%nMonitoring the %d monthly runs (credit-risk monitor --from %s --to %s) ...%n",
        dates.size(), first, last);
    out.flush();
    MonitorCommand.print(out, MonitorJob.run(spark, new MonitorJob.Input(conf, first, last, false)));
    out.printf(Locale.ROOT, "%nThe same data as of an earlier date: bin/credit-risk build-dataset --as-of %s"
        + " --conf conf/demo.conf%n", data.suggestedAsOf().minusMonths(6));
    out.printf(Locale.ROOT, "Demo finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    out.flush();
    return 0;
  }
}
