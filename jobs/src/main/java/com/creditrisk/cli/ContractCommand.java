package com.creditrisk.cli;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.ContractDocs;
import com.creditrisk.contract.InputContract;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "contract", mixinStandardHelpOptions = true,
    description = {
        "Lists every rule of the input contract that build-dataset checks: table, column, kind (column, parse, "
            + "not null, row, reference, unique key) and the wording an exit-3 message uses. The score range is "
            + "the configured one (score.min, score.max). Needs no Spark and no data.",
        "",
        "Exit codes: 0 ok, 2 bad usage or config."})
public class ContractCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;
  @Spec CommandSpec spec;

  @Option(names = "--markdown",
      description = "Print Markdown instead, the text of docs/contract.md (regenerate it with: "
          + ContractDocs.REGENERATE + ").")
  boolean markdown;

  @Override
  public Integer call() {
    CreditRiskConfig conf = config.load();
    InputContract contract = InputContract.of(conf.scoreMin(), conf.scoreMax());
    PrintWriter out = spec.commandLine().getOut();
    out.print(markdown ? ContractDocs.markdown(contract) : ContractDocs.text(contract));
    out.flush();
    return 0;
  }
}
