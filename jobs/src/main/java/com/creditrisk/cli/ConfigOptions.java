package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
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
}
