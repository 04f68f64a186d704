package com.creditrisk.binning;

import static com.creditrisk.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.Rows;
import com.creditrisk.TestSpark;
import com.creditrisk.binning.WoeBin.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Known answers worked out by hand: WoE/IV, the monotone merge, the minimum share, edges, special values. */
class WoeBinningTest {
  private static final double EPS = 1e-9;

  /** A rows of (grade, label): A 4 goods 0 bads; B 3 goods 1 bad; C 1 good 1 bad. Goods 8, bads 2. */
  static Dataset<Row> grades() {
    StructType s = Rows.schema("grade string", "label int");
    return Rows.df(s, row("A", 0), row("A", 0), row("A", 0), row("A", 0),
        row("B", 0), row("B", 0), row("B", 0), row("B", 1), row("C", 0), row("C", 1));
  }

  @Test
  void woeAndIvOfAHandWorkedTableWithTheHalfCountRuleForABinWithoutBads() {
    WoeBinningModel m = new WoeBinning().setInputCols("grade").setRareLevelShare(0.0).fit(grades());
    List<WoeBin> b = m.bins("grade");
    assertEquals(List.of("{A}", "{B}", "{C}"), b.stream().map(WoeBin::label).toList());
    // A has no bads: counts become 4.5 goods, 0.5 bads; shares 4.5/8 = 0.5625 and 0.5/2 = 0.25.
    // WoE = ln(0.5625 / 0.25) = ln(2.25) = 0.8109302162; IV term (0.5625 - 0.25) * WoE = 0.2534156926.
    assertEquals(0.8109302162, b.get(0).woe(), EPS);
    assertEquals(0.2534156926, b.get(0).iv(), EPS);
    // B: shares 3/8 = 0.375 and 1/2 = 0.5; WoE = ln(0.75) = -0.2876820725; IV term 0.125 * 0.28768 = 0.0359602591.
    assertEquals(-0.2876820725, b.get(1).woe(), EPS);
    assertEquals(0.0359602591, b.get(1).iv(), EPS);
    // C: shares 1/8 = 0.125 and 0.5; WoE = ln(0.25) = -1.3862943611; IV term 0.375 * 1.38629 = 0.5198603854.
    assertEquals(-1.3862943611, b.get(2).woe(), EPS);
    assertEquals(0.5198603854, b.get(2).iv(), EPS);
    assertEquals(0.8092363371, m.informationValue().get("grade"), EPS);
    assertEquals(4, b.get(0).count());
    assertEquals(0, b.get(0).bads());
    assertEquals(0.25, b.get(1).badRate(), EPS);
  }

  /**
   * x = 1..5, four rows each, so maxBins 5 gives one fine bin per value (cuts x_(4), x_(8),
   * x_(12), x_(16) = 1, 2, 3, 4). Bads 0, 2, 1, 3, 4: rates 0, .5, .25, .75, 1 rise overall
   * (auto = ascending) but .5 > .25 violates, so {2} and {3} pool to 3/8 = .375.
   */
  static Dataset<Row> nonMonotone() {
    int[] bads = {0, 2, 1, 3, 4};
    List<Object[]> rows = new ArrayList<>();
    for (int v = 1; v <= 5; v++) {
      for (int i = 0; i < 4; i++) {
        rows.add(row((double) v, i < bads[v - 1] ? 1 : 0));
      }
    }
    return Rows.df(Rows.schema("x double", "label int"), rows.toArray(new Object[0][]));
  }

  @Test
  void poolsAdjacentViolatorsIntoStrictlyMonotoneBins() {
    WoeBinningModel m = new WoeBinning().setInputCols("x").setMaxBins(5).fit(nonMonotone());
    List<WoeBin> b = m.bins("x");
    assertEquals(List.of("(-inf, 1]", "(1, 3]", "(3, 4]", "(4, +inf]"), b.stream().map(WoeBin::label).toList());
    assertEquals(List.of(4L, 8L, 4L, 4L), b.stream().map(WoeBin::count).toList());
    assertEquals(List.of(0L, 3L, 3L, 4L), b.stream().map(WoeBin::bads).toList());
    assertEquals(null, b.get(0).lower());
    assertEquals(1.0, b.get(0).upper());
    assertEquals(3.0, b.get(2).lower());
    assertEquals(null, b.get(3).upper());
  }

  @Test
  void descendingMonotonicityPoolsIntoOneBinWhenTheRatesRise() {
    // Forcing descending on rising rates pools everything: 20 rows, 10 bads.
    WoeBinningModel m = new WoeBinning().setInputCols("x").setMaxBins(5).setMonotonicityOverrides("x:descending")
        .fit(nonMonotone());
    assertEquals(1, m.bins("x").size());
    assertEquals(10L, m.bins("x").get(0).bads());
    assertEquals(0.0, m.informationValue().get("x"), EPS);
  }

  @Test
  void binsBelowTheMinimumShareMergeIntoTheNeighbourWithTheClosestBadRate() {
    // After pooling: {1} 4 rows rate 0, {2,3} 8 rows .375, {4} 4 rows .75, {5} 4 rows 1. With
    // minBinShare .25 a bin needs 5 of 20 rows. The smallest (4 rows, lowest index) is {1}; its only
    // neighbour is {2,3} -> {1..3} 12 rows 3 bads (.25). Next {4} (.75): left .25 is .5 away, right
    // 1.0 is .25 away -> {4,5} 8 rows 7 bads.
    WoeBinningModel m = new WoeBinning().setInputCols("x").setMaxBins(5).setMinBinShare(0.25).fit(nonMonotone());
    List<WoeBin> b = m.bins("x");
    assertEquals(List.of("(-inf, 3]", "(3, +inf]"), b.stream().map(WoeBin::label).toList());
    assertEquals(List.of(12L, 8L), b.stream().map(WoeBin::count).toList());
    assertEquals(List.of(3L, 7L), b.stream().map(WoeBin::bads).toList());
  }

  @Test
  void missingAndSpecialValuesKeepTheirOwnBinsEvenWhenTiny() {
    List<Object[]> rows = new ArrayList<>(Arrays.asList(nonMonotone().collectAsList().stream()
        .map(r -> row(r.get(0), r.get(1))).toArray(Object[][]::new)));
    rows.add(row(null, 1));           // one missing row: 1 bad
    rows.add(row(-9.0, 0));           // one special -9 row
    rows.add(row(-8.0, 1));
    rows.add(row(-8.0, 0));           // special -8: 2 rows, 1 bad
    rows.add(row(2.0, null));         // null label: ignored, counted
    Dataset<Row> df = Rows.df(Rows.schema("x double", "label int"), rows.toArray(new Object[0][]));
    WoeBinningModel m = new WoeBinning().setInputCols("x").setMaxBins(5).setMinBinShare(0.25)
        .setSpecialValues(-9.0, -8.0, -7.0).fit(df);
    List<WoeBin> b = m.bins("x");
    assertEquals(List.of("missing", "= -9", "= -8", "(-inf, 3]", "(3, +inf]"), b.stream().map(WoeBin::label).toList());
    assertEquals(List.of(Kind.MISSING, Kind.SPECIAL, Kind.SPECIAL, Kind.RANGE, Kind.RANGE),
        b.stream().map(WoeBin::kind).toList());
    assertEquals(List.of(1L, 1L, 2L, 12L, 8L), b.stream().map(WoeBin::count).toList());
    assertEquals(-8.0, b.get(2).specialValue());
    assertEquals(1L, m.unlabeledRows());
    // The ranges are the same as without the extra rows: special and missing rows never enter them.
    Map<String, Row> out = Rows.byKey(m.transform(df.filter("label is not null")).selectExpr(
        "cast(x as string) as x", "x_woe").distinct(), "x");
    assertEquals(b.get(0).woe(), out.get("null").getDouble(1), EPS);
    assertEquals(b.get(1).woe(), out.get("-9.0").getDouble(1), EPS);
    assertEquals(b.get(3).woe(), out.get("3.0").getDouble(1), EPS);
    assertEquals(b.get(4).woe(), out.get("4.0").getDouble(1), EPS);
  }

  @Test
  void valuesBetweenAndBeyondTheTrainingValuesMapToTheRightClosedRange() {
    WoeBinningModel m = new WoeBinning().setInputCols("x").setMaxBins(5).fit(nonMonotone());
    Dataset<Row> probe = Rows.df(Rows.schema("x double"), row(-1e9), row(1.0), row(1.5), row(3.0), row(3.0001),
        row(1e12));
    List<Double> woe = m.transform(probe).collectAsList().stream().map(r -> r.getDouble(1)).toList();
    List<WoeBin> b = m.bins("x");
    assertEquals(List.of(b.get(0).woe(), b.get(0).woe(), b.get(1).woe(), b.get(1).woe(), b.get(2).woe(),
        b.get(3).woe()), woe);
  }

  @Test
  void unseenCategoryFailsWithTheParamToSetOrKeepsWoeZero() {
    WoeBinningModel m = new WoeBinning().setInputCols("grade").setRareLevelShare(0.0).fit(grades());
    Dataset<Row> probe = Rows.df(Rows.schema("grade string"), row("A"), row("Z"), row((Object) null));
    Exception e = assertThrows(Exception.class, () -> m.transform(probe).collectAsList());
    String msg = String.valueOf(e.getMessage());
    assertTrue(msg.contains("no bin of feature 'grade' covers the value") && msg.contains("handleInvalid=keep"), msg);
    List<Row> kept = m.setHandleInvalid("keep").transform(probe).collectAsList();
    assertEquals(m.bins("grade").get(0).woe(), kept.get(0).getDouble(1), EPS);
    assertEquals(0.0, kept.get(1).getDouble(1));
    assertEquals(0.0, kept.get(2).getDouble(1));
  }

  @Test
  void rareCategoriesGoToOtherWhichAlsoTakesUnseenCategories() {
    // Shares: A .4, B .4, C .2. With rareLevelShare .25, C is rare and becomes "other".
    WoeBinningModel m = new WoeBinning().setInputCols("grade").setRareLevelShare(0.25).fit(grades());
    List<WoeBin> b = m.bins("grade");
    assertEquals(List.of("{A}", "{B}", "other"), b.stream().map(WoeBin::label).toList());
    // "other" counts its categories and never names them: they may be identifiers.
    assertEquals(List.of(), b.get(2).levels());
    assertEquals(1, b.get(2).levelCount());
    assertEquals(List.of(1, 1, 1), b.stream().map(WoeBin::levelCount).toList());
    Dataset<Row> probe = Rows.df(Rows.schema("grade string"), row("Z"));
    assertEquals(b.get(2).woe(), m.transform(probe).first().getDouble(1), EPS);
  }

  @Test
  void caseSqlScoresExactlyLikeTransformAndQuotesNames() {
    StructType s = Rows.schema("odd`name double", "grade string", "label int");
    List<Object[]> rows = new ArrayList<>();
    for (Row r : nonMonotone().collectAsList()) {
      int i = rows.size();
      rows.add(row(r.get(0), i % 3 == 0 ? "it's" : i % 3 == 1 ? "back\\slash" : null, r.get(1)));
    }
    Dataset<Row> df = Rows.df(s, rows.toArray(new Object[0][]));
    WoeBinningModel m = new WoeBinning().setInputCols("odd`name", "grade").setOutputCols("w1", "w2")
        .setMaxBins(5).setRareLevelShare(0.0).fit(df);
    String sql1 = m.caseSql("odd`name", WoeBin::woe, -99.0);
    String sql2 = m.caseSql("grade", WoeBin::woe, -99.0);
    assertTrue(sql1.contains("`odd``name`"), sql1);
    assertTrue(sql2.contains("'it\\'s'"), sql2);
    Dataset<Row> both = m.transform(df).selectExpr("w1", "w2", sql1 + " AS s1", sql2 + " AS s2");
    for (Row r : both.collectAsList()) {
      assertEquals(r.getDouble(0), r.getDouble(2));
      assertEquals(r.getDouble(1), r.getDouble(3));
    }
    Row first = df.select(m.caseColumn("odd`name", WoeBin::index, -1.0)).first();
    assertTrue(first.getDouble(0) >= 0.0);
  }

  @Test
  void fitRejectsANonBinaryLabelNamingTheParamAndColumn() {
    Dataset<Row> df = Rows.df(Rows.schema("x double", "target int"), row(1.0, 0), row(2.0, 1), row(3.0, 2));
    InvalidLabelException e = assertThrows(InvalidLabelException.class,
        () -> new WoeBinning().setInputCols("x").setLabelCol("target").fit(df));
    assertTrue(e.getMessage().contains("labelCol 'target' must hold 0 or 1"), e.getMessage());
    assertTrue(e.getMessage().contains("found 1 rows with other values"), e.getMessage());
  }

  @Test
  void fitRejectsALabelWithOneClass() {
    Dataset<Row> df = Rows.df(Rows.schema("x double", "label int"), row(1.0, 0), row(2.0, 0), row(3.0, null));
    InvalidLabelException e = assertThrows(InvalidLabelException.class,
        () -> new WoeBinning().setInputCols("x").fit(df));
    assertTrue(e.getMessage().contains("must hold both classes"), e.getMessage());
  }

  @Test
  void transformSchemaRejectsMissingColumnsWrongTypesAndExistingOutputs() {
    StructType s = Rows.schema("x double", "grade string", "x_woe double", "label string");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WoeBinning().setInputCols("x", "nope").transformSchema(s));
    String msg = e.getMessage();
    assertTrue(msg.contains("inputCols column 'nope' does not exist"), msg);
    assertTrue(msg.contains("outputCols column 'x_woe' already exists"), msg);
    assertTrue(msg.contains("labelCol column 'label' has type string"), msg);
    assertThrows(IllegalArgumentException.class, () -> new WoeBinning().setMaxBins(1));
    assertThrows(IllegalArgumentException.class, () -> new WoeBinning().setMinBinShare(0.6));
    assertThrows(IllegalArgumentException.class, () -> new WoeBinning().setMonotonicity("up"));
    assertThrows(IllegalArgumentException.class, () -> new WoeBinning().setMonotonicityOverrides("x:up"));
    assertEquals(20, new WoeBinning().getMaxBins());
    assertEquals(0.05, new WoeBinning().getRareLevelShare());
  }

  static {
    TestSpark.get();
  }
}
