package com.creditrisk.cli;

import com.creditrisk.binning.BinFeatures;
import com.creditrisk.binning.IdentifierColumns;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.SparkJobCounter;
import com.creditrisk.io.OutputFolders;
import com.creditrisk.io.SparkSessions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bin", mixinStandardHelpOptions = true,
    description = {
        "Feature screening on any table: supervised WoE binning of every feature against a good/bad label "
            + "(numeric: exact quantile fine bins merged to a monotone bad rate and a minimum share, missing and "
            + "special values in their own bins; categorical: one bin per category, rare ones in 'other'), and the "
            + "information value ranking. Writes DIR/bins.csv, DIR/bins.json, DIR/iv.csv, DIR/iv.json and "
            + "DIR/summary.json. Columns that look like identifiers are left out unless asked for (see "
            + "--include-id-columns), and an 'other' bin gives the number of its categories, never their values. "
            + "See docs/binning.md.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config, 3 bad input data (missing table or column, a label that is "
            + "not 0/1 without --bad-value, a label with one class; nothing written), 1 anything else."})
public class BinCommand implements Callable<Integer> {
  // Not a static field of the command: picocli makes every command object for any command line,
  // and logging's start-up (about 800 classes of Log4j and Jackson) would then be --help's largest cost.
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(BinCommand.class);
  }

  @Mixin ConfigOptions config;
  @Mixin LabelledTableOptions table;
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "PATH", description = "The table: a CSV file or folder "
      + "(header row, RFC 4180 quoting, types inferred), a Parquet file or folder, or a Delta folder.")
  String input;

  @Option(names = "--features", split = ",", paramLabel = "COL",
      description = "Columns to bin (default: every numeric, string or boolean column except the label and the "
          + "identifier-like ones); a column named here is binned even when it looks like an identifier.")
  List<String> features = new ArrayList<>();

  @Option(names = "--include-id-columns",
      description = "Also bin, by default, the columns that look like identifiers: the input contract's identifier "
          + "columns (customer, application and loan ids) and string columns whose distinct values are at least "
          + IdentifierColumns.NEAR_UNIQUE_PERCENT + "%% of their non-null rows and more than "
          + IdentifierColumns.MIN_DISTINCT + ". Left out otherwise, and listed in the output and summary.json, "
          + "as binning one would write its values out.")
  boolean includeIdColumns;

  @Option(names = "--categorical", split = ",", paramLabel = "COL",
      description = "Numeric columns to bin as categories (string columns are categorical anyway).")
  List<String> categorical = new ArrayList<>();

  @Option(names = "--special-values", split = ",", paramLabel = "X",
      description = "Codes of numeric features that get their own bin, e.g. -9,-8 (default none).")
  List<Double> specialValues = new ArrayList<>();

  @Option(names = "--max-bins", defaultValue = "20",
      description = "Fine quantile bins per numeric feature before merging, >= 2 (default ${DEFAULT-VALUE}).")
  int maxBins;

  @Option(names = "--min-bin-share", defaultValue = "0.05",
      description = "Smallest share of rows a range bin keeps after merging, in (0, 0.5]; also the share below "
          + "which a category goes to 'other' (default ${DEFAULT-VALUE}).")
  double minBinShare;

  @Option(names = "--monotonicity", defaultValue = "auto",
      description = "Bad-rate direction across a numeric feature's bins: auto, ascending, descending or none "
          + "(default ${DEFAULT-VALUE}).")
  String monotonicity;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  String out;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.load();
    if (table.labelCol == null) {
      throw Errors.badUsage("Missing required option: '--label-col=L'");
    }
    BinFeatures.Input in = new BinFeatures.Input(input, table.format(), table.labelCol, table.badValue, features,
        categorical, specialValues.stream().mapToDouble(Double::doubleValue).toArray(),
        maxBins, minBinShare, monotonicity.toLowerCase(Locale.ROOT), includeIdColumns, out);
    OutputFolders.requireWritable("--out", out);
    // A local CSV is binned in this JVM when it can be: Spark's start-up and its parse would be most of the run.
    BinFeatures.Local local = BinFeatures.runLocal(conf, in);
    BinFeatures.Result r;
    int jobCount;
    if (local.result() != null) {
      r = local.result();
      jobCount = 0;
    } else {
      Log.LOG.info("bin: Spark reads the table ({})", local.sparkBecause());
      SparkSession spark = SparkSessions.getOrCreateForInputs(conf,
          new SparkSessions.TableInput(input, table.format()));
      SparkJobCounter jobs = SparkJobCounter.start(spark);
      try (jobs) {
        r = BinFeatures.run(spark, in);
      }
      jobCount = jobs.jobs();
    }
    Log.LOG.info("bin: {} features, {} Spark jobs, {} identifier-like columns left out: {}", r.features().size(),
        jobCount, r.excluded().size(), r.excluded().stream().map(IdentifierColumns.Excluded::column).toList());
    print(spec.commandLine().getOut(), r, jobCount);
    return 0;
  }

  private static void print(PrintWriter w, BinFeatures.Result r, int jobs) {
    w.printf(Locale.ROOT, "Binned %d features of %s (%s): %,d labelled rows, %,d rows excluded for a null label.%n",
        r.features().size(), r.input(), r.format(), r.labelledRows(), r.unlabeledRows());
    if (!r.skipped().isEmpty()) {
      w.println("Skipped columns of other types: " + String.join(", ", r.skipped()));
    }
    if (!r.excluded().isEmpty()) {
      w.println("Left out as identifiers (bin them with --include-id-columns or by naming them in --features):");
      r.excluded().forEach(e -> w.println("  " + e.column() + ": " + e.reason()));
    }
    w.printf(Locale.ROOT, "  %4s  %-40s %8s %5s  %s%n", "rank", "feature", "IV", "bins", "strength");
    int rank = 0;
    for (Map.Entry<String, Double> e : r.model().informationValue().entrySet()) {
      w.printf(Locale.ROOT, "  %4d  %-40s %8.4f %5d  %s%n", ++rank, e.getKey(), e.getValue(),
          r.model().bins(e.getKey()).size(), BinFeatures.strength(e.getValue()));
    }
    w.println("Wrote " + String.join(", ", r.files()));
    w.printf(Locale.ROOT, "Spark jobs: %d%n", jobs);
    w.flush();
  }
}
