package com.creditrisk.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.TestSpark;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The approval rate at calibrate's chosen cutoffs on a hand-built scored table. Approve when the
 * model score rounded half up to whole points (calibrate's candidates) is at least the segment's
 * cutoff; cutoffs: all 560, product,channel paylater/web 570 and cash_loan/app 550, channel web 575.
 *
 * <pre>
 * product/channel   model_score  points  all 560  own cutoff          web 575
 * paylater/web      569.4        569     yes      570 no               no
 * paylater/web      569.5        570     yes      570 yes              no
 * paylater/web      580.0        580     yes      570 yes              yes
 * paylater/web      555.0        555     no       570 no               no
 * cash_loan/app     550.0        550     no       550 yes              -
 * cash_loan/app     549.4        549     no       550 no               -
 * cash_loan/app     600.0        600     yes      550 yes              -
 * paylater/app      565.0        565     yes      none (no row)        -
 * (missing)/web     559.5        560     yes      none (no row)        no
 * paylater/web      null         -       left out
 * </pre>
 *
 * all: 6 of 9; paylater/web: 2 of 4; cash_loan/app: 2 of 3; web: 1 of 5.
 */
class ApprovalAtCutoffTest {
  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("product", DataTypes.StringType, true),
      DataTypes.createStructField("channel", DataTypes.StringType, true),
      DataTypes.createStructField("model_score", DataTypes.DoubleType, true)));

  private final SparkSession spark = TestSpark.get();

  private Dataset<Row> applications() {
    List<Row> rows = new ArrayList<>();
    for (double s : new double[] {569.4, 569.5, 580.0, 555.0}) {
      rows.add(RowFactory.create("paylater", "web", s));
    }
    for (double s : new double[] {550.0, 549.4, 600.0}) {
      rows.add(RowFactory.create("cash_loan", "app", s));
    }
    rows.add(RowFactory.create("paylater", "app", 565.0));
    rows.add(RowFactory.create(null, "web", 559.5));
    rows.add(RowFactory.create("paylater", "web", null));
    return spark.createDataFrame(rows, SCHEMA);
  }

  private static Map<String, List<String>> sets() {
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("product,channel", List.of("product", "channel"));
    sets.put("channel", List.of("channel"));
    return sets;
  }

  @Test
  void countsEachSegmentsApplicationsAtOrAboveItsChosenCutoffInWholePoints() {
    Map<String, Map<String, Double>> cutoffs = new LinkedHashMap<>();
    cutoffs.put("all", Map.of("all", 560.0));
    Map<String, Double> byProductChannel = new LinkedHashMap<>();
    byProductChannel.put("paylater/web", 570.0);
    byProductChannel.put("cash_loan/app", 550.0);
    byProductChannel.put("installment/web", 500.0);
    cutoffs.put("product,channel", byProductChannel);
    cutoffs.put("channel", Map.of("web", 575.0));

    List<ApprovalAtCutoff.Rate> rates = ApprovalAtCutoff.of(applications(), cutoffs, sets());

    assertEquals(List.of(
        new ApprovalAtCutoff.Rate("all", 560.0, 9, 6),
        new ApprovalAtCutoff.Rate("product,channel=paylater/web", 570.0, 4, 2),
        new ApprovalAtCutoff.Rate("product,channel=cash_loan/app", 550.0, 3, 2),
        new ApprovalAtCutoff.Rate("channel=web", 575.0, 5, 1)), rates,
        "installment/web has a cutoff but no application: no row");
    assertEquals(6.0 / 9, rates.get(0).rate(), 1e-15);
  }

  @Test
  void withoutAChosenCutoffOfTheWholePopulationOnlyTheSegmentsHaveRates() {
    Map<String, Map<String, Double>> cutoffs = new LinkedHashMap<>();
    cutoffs.put("channel", Map.of("web", 575.0));

    assertEquals(List.of(new ApprovalAtCutoff.Rate("channel=web", 575.0, 5, 1)),
        ApprovalAtCutoff.of(applications(), cutoffs, sets()));
    assertEquals(List.of(), ApprovalAtCutoff.of(applications(), Map.of(), sets()), "no cutoff, no rate");
  }
}
