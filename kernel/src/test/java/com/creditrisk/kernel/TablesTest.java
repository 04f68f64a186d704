package com.creditrisk.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
  @Test
  void htmlEscapesCellValuesAndNamesTheCutOff() {
    String html = Tables.html(new String[] {"a<b"}, List.<String[]>of(new String[] {"x & \"y\""}), "only the first 1 rows shown");
    assertTrue(html.contains("<th>a&lt;b</th>"), html);
    assertTrue(html.contains("<td>x &amp; &quot;y&quot;</td>"), html);
    assertTrue(html.contains("only the first 1 rows shown"), html);
  }

  @Test
  void textAlignsColumnsToTheirWidestValue() {
    String text = Tables.text(new String[] {"model", "auc"},
        List.of(new String[] {"gbt", "0.7061"}, new String[] {"scorecard", "0.6981"}), null);
    assertEquals("model      auc   \ngbt        0.7061\nscorecard  0.6981\n", text);
  }

  @Test
  void fractionsShowFourDecimalsAndNullsSayNull() {
    assertEquals("0.1098", Tables.format(0.10977));
    assertEquals("null", Tables.format(null));
    assertEquals("24433", Tables.format(24433L));
  }

  @Test
  void barChartsShowCountsAsWholeNumbersAndRatesWithDecimals() {
    assertEquals(List.of("3", "20"), List.of(BarChart.values(new double[] {3, 20})));
    assertEquals(List.of("0.0000", "1.0000", "0.1250"), List.of(BarChart.values(new double[] {0, 1, 0.125})));
    String svg = BarChart.svg("Bad rate <by month>", new String[] {"2025-01"}, new double[] {0.1});
    assertTrue(svg.startsWith("<svg") && svg.contains("Bad rate &lt;by month&gt;"), svg);
  }
}
