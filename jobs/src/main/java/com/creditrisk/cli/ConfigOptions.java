package com.creditrisk.cli;

import com.creditrisk.config.ConfigKeys;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.io.OutputFolders;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --conf and --set, shared by every command. */
public class ConfigOptions {
  @Option(names = "--conf", paramLabel = "FILE",
      description = "HOCON config file (repeatable; a later file wins over an earlier one, and over the "
          + "bundled defaults, see conf/defaults.conf). Example: --conf conf/cluster.conf")
  List<File> confFiles = new ArrayList<>();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one config key, beating every file (repeatable). Example: --set label.bad_dpd=60, "
          + "--set inputs.loans.format=csv, --set spark.conf.spark.sql.shuffle.partitions=64")
  List<String> overrides = new ArrayList<>();

  public CreditRiskConfig load() {
    return CreditRiskConfig.load(confFiles, overrides);
  }

  /**
   * The config of a command that writes into {@code warehouse.path}: exit 2 at once when that
   * folder is a file or cannot be written, before the SparkSession starts.
   */
  public CreditRiskConfig loadWritingWarehouse() {
    CreditRiskConfig conf = load();
    requireWritableWarehouse(conf);
    return conf;
  }

  static void requireWritableWarehouse(CreditRiskConfig conf) {
    OutputFolders.requireWritable(ConfigKeys.WAREHOUSE_PATH.key(), conf.warehousePath());
  }
}
