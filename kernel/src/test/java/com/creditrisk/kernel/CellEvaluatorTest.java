package com.creditrisk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CellEvaluatorTest {
  private static CellEvaluator cells;
  private static SparkJavaKernel kernel;

  @BeforeAll
  static void startJShell() {
    cells = new CellEvaluator(TestClasspath.get());
    kernel = SparkJavaKernel.builder().classpath(TestClasspath.get()).build();
  }

  @AfterAll
  static void stopJShell() {
    cells.close();
  }

  @Test
  void aCellShowsTheValueOfItsLastExpressionAsAnObject() {
    Optional<Object> v = cells.eval("int a = 20;\nint b = 22;\nList.of(a, b)");
    assertEquals(List.of(20, 22), v.orElseThrow());
  }

  @Test
  void aTrailingSemicolonOrADeclarationShowsNothing() {
    assertTrue(cells.eval("Math.max(1, 2);").isEmpty());
    assertTrue(cells.eval("var s = \"declared\";").isEmpty());
    assertEquals("declared", cells.eval("s").orElseThrow());
  }

  @Test
  void declarationsOfOneCellAreSeenByTheNext() {
    cells.eval("int twice(int x) { return 2 * x; }");
    assertEquals(84, cells.eval("twice(42)").orElseThrow());
  }

  @Test
  void theProjectsClassesAndSparkAreImportedInEveryCell() {
    Object v = cells.eval("Discrimination.class.getSimpleName() + \" \" + col(\"pd\")").orElseThrow();
    assertEquals("Discrimination pd", v);
  }

  @Test
  void aCellThatDoesNotCompileSaysWhereWithJavacsMessage() {
    CellEvaluator.CompilationError e = assertThrows(CellEvaluator.CompilationError.class,
        () -> cells.eval("int n = 1;\nString t = n + undefinedName;"));
    assertTrue(e.getMessage().contains("undefinedName"), e.getMessage());
    assertTrue(e.getMessage().contains("^"), e.getMessage());
  }

  @Test
  void aCellThatThrowsReportsTheExceptionDownToTheCellsLine() {
    CellEvaluator.ExceptionInCell e = assertThrows(CellEvaluator.ExceptionInCell.class,
        () -> cells.eval("Integer.parseInt(\"not a number\")"));
    assertEquals("java.lang.NumberFormatException: For input string: \"not a number\"", e.getMessage());
    List<String> lines = kernel.formatError(e);
    assertTrue(lines.get(0).startsWith("java.lang.NumberFormatException: For input string: \"not a number\""),
        lines.get(0));
    assertTrue(lines.get(lines.size() - 1).contains("the cell's snippet #"), String.join("\n", lines));
  }

  @Test
  void anUnfinishedStatementIsReportedAsIncomplete() {
    assertEquals("incomplete", cells.completeness("for (int i = 0; i < 3; i++) {"));
    assertEquals("complete", cells.completeness("int z = 3;"));
    assertThrows(CellEvaluator.CompilationError.class, () -> cells.eval("if (true) {"));
  }

  @Test
  void completionSuggestsMembersOfTheTypeAtTheCursor() {
    CellEvaluator.Completions c = cells.complete("\"abc\".toUpp", 11);
    assertTrue(c.replacements().contains("toUpperCase("), c.replacements().toString());
    assertEquals(6, c.start());
  }
}
