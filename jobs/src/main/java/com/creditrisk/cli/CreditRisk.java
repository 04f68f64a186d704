package com.creditrisk.cli;

import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.run.RunFolder;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code credit-risk COMMAND [options]}, locally through bin/credit-risk and
 * on a cluster through {@code spark-submit --class com.creditrisk.cli.CreditRisk <jobs jar> COMMAND}.
 */
@Command(name = "credit-risk", mixinStandardHelpOptions = true, versionProvider = CreditRisk.Version.class,
    subcommands = {DemoCommand.class, GenerateCommand.class, BuildDatasetCommand.class, TrainCommand.class,
        ScoreCommand.class, CalibrateCommand.class, ValidateCommand.class, RunCommand.class, MonitorCommand.class,
        BinCommand.class,
        EvaluateSourcesCommand.class,
        ContractCommand.class, CommandLine.HelpCommand.class},
    description = {
        "Credit-risk analytics for score-based micro-lending, on Apache Spark and Delta Lake.",
        "Every command takes --conf FILE and --set key=value; run 'credit-risk COMMAND --help' for its options.",
        "",
        "Exit codes: 0 ok, 1 anything else, 2 bad usage or config, 3 bad input data, 4 a validation or monitoring "
            + "gate failed."})
public class CreditRisk implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing COMMAND");
  }

  public static void main(String[] args) {
    int code = execute(args);
    System.exit(code);
  }

  /** Runs a command line and returns its exit code (used by main and by tests). */
  public static int execute(String... args) {
    return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line with its output and errors going to the given writers; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof CreditRiskException cre) {
        commandLine.getErr().println("error: " + cre.getMessage());
        return cre.exitCode();
      }
      commandLine.getErr().println("error: " + ex);
      ex.printStackTrace(commandLine.getErr());
      return 1;
    });
    try {
      return cl.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /**
   * Parses a command line exactly as {@link #execute} would and runs nothing: a scheduler's
   * command lines (the Airflow DAG's) can be checked against the real options without Spark.
   * Throws picocli's ParameterException for what the parser rejects (an unknown command or option,
   * a missing required option); values the commands check when they run, such as the --as-of
   * date's format or a --set key, are not checked here.
   */
  static CommandLine.ParseResult parse(String... args) {
    return commandLine().parseArgs(args);
  }

  // The one place that builds the parser, so parse() cannot drift from what execute() accepts.
  private static CommandLine commandLine() {
    return new CommandLine(new CreditRisk());
  }

  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"credit-risk " + RunFolder.codeVersion()};
    }
  }
}
