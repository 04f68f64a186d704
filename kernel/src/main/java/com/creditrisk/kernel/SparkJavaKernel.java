package com.creditrisk.kernel;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/** The Jupyter kernel: JJava's protocol layer, cells evaluated by {@link CellEvaluator}. */
public final class SparkJavaKernel extends BaseKernel {
  /** Rows a DataFrame shows when it is a cell's value; {@code show(df, n)} shows more. */
  static final int DEFAULT_ROWS = 20;

  private static volatile SparkJavaKernel running;

  private final CellEvaluator cells;
  private volatile boolean interrupting;

  private SparkJavaKernel(String name, String version, HistoryManager history, JupyterIO io, CommManager comms,
      Renderer renderer, MagicsRegistry magics, StringStyler errorStyler, CellEvaluator cells) {
    super(name, version, languageInfo(), List.of(), history, io, comms, renderer, null, magics, false, errorStyler);
    this.cells = cells;
    running = this;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The kernel of this JVM, if one runs: the display helpers publish through it. */
  static SparkJavaKernel running() {
    return running;
  }

  private static LanguageInfo languageInfo() {
    return new LanguageInfo.Builder("Java").version(Runtime.version().toString()).mimetype("text/x-java-source")
        .fileExtension(".jshell").pygments("java").codemirror("text/x-java").build();
  }

  @Override
  public String getBanner() {
    return "Java " + Runtime.version() + " (JShell) with Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + " and the credit-risk jobs";
  }

  @Override
  public Object evalRaw(String code) {
    interrupting = false;
    try {
      return cells.eval(code).orElse(null);
    } catch (CellEvaluator.ExceptionInCell e) {
      // Stopping the cell's thread surfaces as whatever it was waiting in; say what happened.
      if (interrupting) {
        throw new Interrupted();
      }
      throw e;
    }
  }

  @Override
  public DisplayData eval(String code) {
    Object value = evalRaw(code);
    if (value == null) {
      return null;
    }
    if (value instanceof DisplayData d) {
      return d;
    }
    if (value instanceof Dataset<?> df) {
      return Tables.render(df, DEFAULT_ROWS);
    }
    return getRenderer().render(value);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    String doc = cells.inspect(code, at);
    return doc.isEmpty() ? null : new DisplayData(doc);
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    CellEvaluator.Completions c = cells.complete(code, at);
    return c.replacements().isEmpty() ? null : new ReplacementOptions(c.replacements(), c.start(), c.end());
  }

  @Override
  public String isComplete(String code) {
    String status = cells.completeness(code);
    // BaseKernel reads any other string as "incomplete" with that indent.
    return switch (status) {
      case "complete" -> IS_COMPLETE_YES;
      case "invalid" -> IS_COMPLETE_BAD;
      default -> "    ";
    };
  }

  @Override
  public void interrupt() {
    interrupting = true;
    // Stopping the snippet's thread does not stop the tasks it started.
    SparkSession.getDefaultSession().foreach(s -> {
      s.sparkContext().cancelAllJobs();
      return null;
    });
    cells.stop();
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    cells.close();
  }

  /**
   * What a failing cell shows: javac's messages for a cell that does not compile; for one that
   * throws, the exception with its causes, each down to the cell's own line (the frames below it
   * are JShell's machinery and say nothing to a notebook's reader).
   */
  @Override
  public List<String> formatError(Throwable e) {
    List<String> lines = new ArrayList<>();
    if (e instanceof CellEvaluator.CompilationError) {
      lines.add("Compilation failed:");
      lines.addAll(StringStyler.splitLines(e.getMessage()));
    } else if (e instanceof Interrupted) {
      lines.add(e.getMessage());
    } else if (e instanceof CellEvaluator.ExceptionInCell f) {
      String prefix = "";
      for (Throwable t = f.failure(); t != null; t = t.getCause()) {
        lines.add(prefix + CellEvaluator.describe(t));
        for (StackTraceElement frame : t.getStackTrace()) {
          // JShell names a snippet's own frame by the snippet's id ("#17") and its line in it.
          String file = frame.getFileName();
          if (file != null && file.startsWith("#")) {
            lines.add("\tat the cell's snippet " + file + ", line " + frame.getLineNumber());
            break;
          }
          lines.add("\tat " + frame);
        }
        prefix = "Caused by: ";
      }
    } else {
      return super.formatError(e);
    }
    return lines;
  }

  /** A cell stopped by the interrupt button (or Jupyter's interrupt request). */
  static final class Interrupted extends RuntimeException {
    Interrupted() {
      super("The cell was interrupted; its Spark jobs were cancelled.", null, false, false);
    }
  }

  /** BaseKernel's parts with JJava's defaults; the evaluator is this project's. */
  public static final class Builder extends BaseKernelBuilder<Builder, SparkJavaKernel> {
    private String classpath = System.getProperty("java.class.path");

    public Builder classpath(String classpath) {
      this.classpath = classpath;
      return this;
    }

    @Override
    public SparkJavaKernel build() {
      return new SparkJavaKernel(buildName(), buildVersion(), buildHistoryManager(),
          buildJupyterIO(buildJupyterIOEncoding()), buildCommManager(), buildRenderer(), buildMagicsRegistry(),
          buildErrorStyler(), new CellEvaluator(classpath));
    }
  }
}
