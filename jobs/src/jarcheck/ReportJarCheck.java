import com.creditrisk.report.HeadlineMetric;
import com.creditrisk.report.ReportModel;
import com.creditrisk.report.ReportRenderer;
import com.creditrisk.report.ReportSection;
import com.creditrisk.report.SmallCells;
import com.creditrisk.report.TrafficLight;
import com.creditrisk.report.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Renders a two-chart report with the classes of the shaded jar only (see bin/check-report-jar). */
public class ReportJarCheck {
  public static void main(String[] args) throws Exception {
    ReportModel model = new ReportModel("Jar check <ok>", "shaded jar", Instant.now(),
        new Verdict(TrafficLight.GREEN, "renders from the shaded jar"), List.of(HeadlineMetric.count("n", 10)),
        List.of(new ReportSection.Roc(List.of(new ReportSection.RocCurve("m", List.of(new ReportSection.Point(0, 0),
                new ReportSection.Point(0.2, 0.6), new ReportSection.Point(1, 1)), 0.7, null, null))),
            new ReportSection.Psi("baseline", List.of(new ReportSection.MonthPsi("2025-01", 10, 0.05)))));
    // The month of 10 rows is at the product's default minimum, so both charts are drawn.
    String html = new ReportRenderer(new SmallCells(10)).render(model);
    Files.writeString(Path.of(args[0]), html);
    int charts = html.split("<svg ", -1).length - 1;
    boolean escaped = html.contains("Jar check &lt;ok&gt;");
    boolean relocated = ReportRenderer.class.getClassLoader()
        .getResource("com/creditrisk/shaded/pebbletemplates/pebble/PebbleEngine.class") != null;
    System.out.println("charts=" + charts + " escaped=" + escaped + " relocated=" + relocated + " headless="
        + java.awt.GraphicsEnvironment.isHeadless() + " -> " + args[0]);
    if (charts != 2 || !escaped || !relocated) {
      System.exit(1);
    }
  }
}
