package com.creditrisk.kernel;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.Suggestion;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import jdk.jshell.execution.LocalExecutionControlProvider;

/**
 * Runs notebook cells as JShell snippets in this JVM.
 *
 * <p>JShell's default engine runs snippets in a second JVM; the local engine keeps them here, so a
 * cell sees the kernel's classpath (Spark, Delta, the jobs) and shares one SparkSession with every
 * other cell and with the display helpers.
 */
public final class CellEvaluator implements AutoCloseable {
  /** Imports every cell starts with: the DataFrame API, the project's metrics and the notebook helpers. */
  static final List<String> STARTUP_IMPORTS = List.of(
      "import java.util.*;",
      "import java.nio.file.*;",
      "import org.apache.spark.sql.*;",
      "import org.apache.spark.sql.types.*;",
      "import static org.apache.spark.sql.functions.*;",
      "import com.creditrisk.metrics.Discrimination;",
      "import com.creditrisk.kernel.Notebook;",
      "import static com.creditrisk.kernel.Notebook.*;");

  /**
   * Hands a cell's last value from the snippet to the kernel as an object: JShell itself only
   * reports values as strings, and a DataFrame should render as a table, not as its schema.
   */
  private static final AtomicReference<Object> handOver = new AtomicReference<>();

  private final JShell shell;
  private final SourceCodeAnalysis analysis;

  public CellEvaluator(String classpath) {
    shell = JShell.builder().executionEngine(new LocalExecutionControlProvider(), null).build();
    analysis = shell.sourceCodeAnalysis();
    // The local engine loads classes from this JVM, but the compiler only sees what it is told.
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        shell.addToClasspath(entry);
      }
    }
    for (String imp : STARTUP_IMPORTS) {
      eval(imp);
    }
  }

  /** Called from the snippet generated in {@link #eval}; public only because snippets are other classes. */
  public static void handOver(Object value) {
    handOver.set(value);
  }

  /**
   * Runs every snippet of a cell in order and returns the value of the last one when it is an
   * expression (empty for a declaration or a statement), the way a notebook shows a cell's result.
   *
   * @throws CompilationError for a snippet that does not compile
   * @throws ExceptionInCell for one that throws
   */
  public Optional<Object> eval(String cell) {
    String remaining = cell;
    String valueName = null;
    while (!remaining.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      if (!info.completeness().isComplete()) {
        throw new CompilationError("The cell ends in the middle of a statement:\n" + remaining.strip());
      }
      String typed = remaining.substring(0, remaining.length() - info.remaining().length());
      valueName = evalSnippet(info.source());
      // As in IPython, a trailing semicolon runs an expression without showing its value.
      if (typed.strip().endsWith(";")) {
        valueName = null;
      }
      remaining = info.remaining();
    }
    if (valueName == null) {
      return Optional.empty();
    }
    handOver.set(null);
    evalSnippet(CellEvaluator.class.getName() + ".handOver(" + valueName + ");");
    return Optional.ofNullable(handOver.getAndSet(null));
  }

  /** Returns the name under which the snippet's value can be read, or null if it has none to show. */
  private String evalSnippet(String source) {
    List<SnippetEvent> events = shell.eval(source);
    String valueName = null;
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue;
      }
      if (e.exception() != null) {
        throw new ExceptionInCell(e.exception());
      }
      Snippet s = e.snippet();
      if (e.status() == Snippet.Status.REJECTED) {
        throw new CompilationError(describeRejection(s));
      }
      if (s instanceof ExpressionSnippet es && !"void".equals(es.typeName())) {
        valueName = es.name();
      } else if (s instanceof VarSnippet vs && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
        valueName = vs.name();
      }
    }
    return valueName;
  }

  private String describeRejection(Snippet s) {
    List<Diag> diags = shell.diagnostics(s).collect(Collectors.toList());
    if (diags.isEmpty()) {
      // Rejected without a compiler message: an unresolved reference in a declaration, say.
      String unresolved = shell.unresolvedDependencies(
          s instanceof jdk.jshell.DeclarationSnippet ds ? ds : null).collect(Collectors.joining(", "));
      return "Rejected: " + s.source().strip() + (unresolved.isEmpty() ? "" : "\nunresolved: " + unresolved);
    }
    List<String> lines = new ArrayList<>();
    String src = s.source();
    for (Diag d : diags) {
      lines.add(d.getMessage(Locale.ROOT));
      lines.addAll(pointAt(src, (int) d.getStartPosition(), (int) d.getEndPosition()));
    }
    return String.join("\n", lines);
  }

  /** The source line of a compiler message with the offending part underlined, as javac shows it. */
  private static List<String> pointAt(String src, int start, int end) {
    if (start < 0 || start > src.length()) {
      return List.of(src.strip());
    }
    int lineStart = src.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
    int lineEnd = src.indexOf('\n', start);
    if (lineEnd < 0) {
      lineEnd = src.length();
    }
    int to = Math.max(start + 1, Math.min(end, lineEnd));
    return List.of(src.substring(lineStart, lineEnd),
        " ".repeat(start - lineStart) + "^".repeat(Math.max(1, to - start)));
  }

  /** Jupyter's is_complete: lets a console know whether Enter runs the cell or opens a new line. */
  public String completeness(String cell) {
    String remaining = cell;
    while (!remaining.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case EMPTY:
          return "complete";
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return "incomplete";
        case UNKNOWN:
          return "invalid";
        default:
          remaining = info.remaining();
      }
    }
    return "complete";
  }

  public record Completions(List<String> replacements, int start, int end) {}

  /** Tab completion at a cursor position. */
  public Completions complete(String code, int cursor) {
    int[] anchor = new int[1];
    List<String> names = analysis.completionSuggestions(code, cursor, anchor).stream()
        .map(Suggestion::continuation).distinct().collect(Collectors.toList());
    return new Completions(names, anchor[0], cursor);
  }

  /** Shift-Tab help: the signatures (and Javadoc where the JDK has it) of what is at the cursor. */
  public String inspect(String code, int cursor) {
    return analysis.documentation(code, cursor, true).stream()
        .map(d -> d.javadoc() == null ? d.signature() : d.signature() + "\n" + d.javadoc())
        .collect(Collectors.joining("\n\n"));
  }

  /** Stops the running cell (the kernel also cancels its Spark jobs). */
  public void stop() {
    shell.stop();
  }

  @Override
  public void close() {
    shell.close();
  }

  /** The thrown exception's real class and message (JShell hands it over as an EvalException). */
  static String describe(Throwable t) {
    if (t instanceof EvalException ee) {
      return ee.getExceptionClassName() + (ee.getMessage() == null ? "" : ": " + ee.getMessage());
    }
    if (t instanceof UnresolvedReferenceException ure) {
      return "Unresolved reference: " + ure.getSnippet().source().strip();
    }
    if (t instanceof jdk.jshell.JShellException) {
      return t.getMessage();
    }
    return t.toString();
  }

  /** A cell that does not compile, with javac's messages. */
  public static final class CompilationError extends RuntimeException {
    CompilationError(String message) {
      super(message, null, false, false);
    }
  }

  /** A snippet that threw: carries JShell's copy of the exception, with the cell's frames. */
  public static final class ExceptionInCell extends RuntimeException {
    private final transient jdk.jshell.JShellException failure;

    ExceptionInCell(jdk.jshell.JShellException failure) {
      // Jupyter shows the exception's simple name and message as the error's name and value.
      super(describe(failure), failure, false, false);
      this.failure = failure;
    }

    public jdk.jshell.JShellException failure() {
      return failure;
    }
  }
}
