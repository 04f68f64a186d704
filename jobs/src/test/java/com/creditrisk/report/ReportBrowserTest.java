package com.creditrisk.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a rendered report in a real headless Chromium, once, and checks what a reviewer would
 * see: a screenshot that is not blank and shows the verdict badge and the goods/bads colours, every
 * chart laid out at a real size, and a PDF print.
 *
 * <p>Chromium is Debian's {@code chromium} package, which CI installs ({@code .ci/run}); set
 * {@code CHROMIUM_BIN} to use another binary. Without it the test fails rather than skips, so a
 * CI machine that lost the package cannot pass silently.
 *
 * <p>It leaves {@code target/report-sample.html}, {@code .png} and {@code .pdf} for a person to look at.
 */
class ReportBrowserTest {
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 12000;
  private static final Pattern MEASURED = Pattern.compile("<pre id=\"measured\"[^>]*>([^<]*)</pre>");
  /**
   * Added to a copy of the report only: the report itself stays script-free. Layout is final when
   * a script at the end of the body runs, since the page loads nothing.
   */
  private static final String MEASURE = "<script>(function () {"
      + "var out = [];"
      + "document.querySelectorAll('figure svg').forEach(function (s) {"
      + "  var r = s.getBoundingClientRect(); out.push(Math.round(r.width) + 'x' + Math.round(r.height)); });"
      + "var v = document.getElementById('verdict').getBoundingClientRect();"
      + "out.push('verdict=' + Math.round(v.width) + 'x' + Math.round(v.height) + '@' + Math.round(v.top));"
      + "out.push('page=' + Math.ceil(document.body.getBoundingClientRect().bottom));"
      + "var p = document.createElement('pre'); p.id = 'measured'; p.hidden = true;"
      + "p.textContent = out.join(' '); document.body.appendChild(p);"
      + "})();</script>";

  @TempDir
  static Path tmp;

  /** One report as Chromium showed it: the DOM after the measuring script, the page's screenshot, the PDF. */
  private record Opened(String dom, BufferedImage screenshot, Path pdf) {}

  private static Opened validation;
  private static Opened monitoring;

  @BeforeAll
  static void openInChromium() throws Exception {
    Path chromium = Paths.get(System.getenv().getOrDefault("CHROMIUM_BIN", "/usr/bin/chromium"));
    assertTrue(Files.isExecutable(chromium), "Cannot run the browser test: no Chromium at " + chromium
        + "; install Debian's package (apt-get install -y --no-install-recommends chromium) or set CHROMIUM_BIN");
    validation = open(chromium, "report-sample", ReportFixtures.full());
    monitoring = open(chromium, "monitoring-sample", ReportFixtures.monitoring());
  }

  /** Renders {@code model}, opens it in Chromium and leaves target/NAME.html, .png and .pdf. */
  private static Opened open(Path chromium, String name, ReportModel model) throws Exception {
    String html = new ReportRenderer(SmallCells.NONE).render(model);
    Path out = Paths.get("target");
    Files.createDirectories(out);
    Files.writeString(out.resolve(name + ".html"), html, StandardCharsets.UTF_8);
    Path work = Files.createDirectory(tmp.resolve(name));
    Path measured = work.resolve("measured.html");
    Files.writeString(measured, html.replace("</body>", MEASURE + "</body>"), StandardCharsets.UTF_8);

    Path png = out.resolve(name + ".png");
    Path pdf = out.resolve(name + ".pdf");
    Files.deleteIfExists(png);
    Files.deleteIfExists(pdf);
    Path stdout = work.resolve("dom.html");
    Path stderr = work.resolve("chromium.log");
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--hide-scrollbars", "--user-data-dir=" + Files.createDirectory(work.resolve("profile")),
        "--window-size=" + WIDTH + "," + HEIGHT, "--screenshot=" + png.toAbsolutePath(),
        "--print-to-pdf=" + pdf.toAbsolutePath(), "--no-pdf-header-footer", "--dump-dom",
        measured.toUri().toString()));
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Chromium did not finish in 120 s; its log: " + Files.readString(stderr));
    }
    assertEquals(0, p.exitValue(), () -> "Chromium failed; its log: " + read(stderr));
    String dom = Files.readString(stdout, StandardCharsets.UTF_8);
    assertTrue(Files.exists(png), () -> "no screenshot; Chromium's log: " + read(stderr));
    // The window is taller than the page: the screenshot is cut to the page, for a person and for the pixel counts.
    BufferedImage window = ImageIO.read(png.toFile());
    int page = measured(dom).stream().filter(m -> m.startsWith("page=")).mapToInt(m -> Integer.parseInt(m.substring(5)))
        .findFirst().orElse(window.getHeight());
    BufferedImage screenshot = window.getSubimage(0, 0, window.getWidth(), Math.min(page, window.getHeight()));
    ImageIO.write(screenshot, "png", png.toFile());
    return new Opened(dom, screenshot, pdf);
  }

  /** What the measuring script wrote: one "WxH" per chart, then "verdict=WxH@top" and "page=height". */
  private static List<String> measured(String dom) {
    Matcher m = MEASURED.matcher(dom);
    assertTrue(m.find(), "the measuring script ran");
    return List.of(m.group(1).trim().split(" "));
  }

  @Test
  void pageShowsTheVerdictAndEveryChartAtARealSize() {
    assertTrue(validation.dom().contains(ReportFixtures.VERDICT_REASON), "verdict in the rendered DOM");
    assertChartsAndVerdictLaidOut(validation.dom(), ReportFixtures.full().sections().size() + 1,
        "rendered charts (two for the strategy)");
  }

  @Test
  void theMonitoringReportShowsItsRedVerdictFirstAndEveryTrendChart() {
    // The DOM is serialised HTML: the reason's "amber > 3.0" comes back as "amber &gt; 3.0".
    assertTrue(monitoring.dom().contains(ReportFixtures.MONITORING_REASON.replace(">", "&gt;")),
        "verdict reason in the rendered DOM");
    assertChartsAndVerdictLaidOut(monitoring.dom(), 2, "one chart per trend");
    long red = 0;
    long amber = 0;
    for (int y = 0; y < monitoring.screenshot().getHeight(); y++) {
      for (int x = 0; x < monitoring.screenshot().getWidth(); x++) {
        int rgb = monitoring.screenshot().getRGB(x, y) & 0xFFFFFF;
        red += near(rgb, 0xC53030) ? 1 : 0;
        amber += near(rgb, 0xD69E2E) ? 1 : 0;
      }
    }
    assertTrue(red > 500, "red verdict badge, red lights and red threshold lines visible: " + red + " px");
    assertTrue(amber > 100, "amber threshold lines and markers visible: " + amber + " px");
    assertTrue(Files.exists(monitoring.pdf()), "printed");
  }

  private static void assertChartsAndVerdictLaidOut(String dom, int expectedCharts, String what) {
    String[] sizes = measured(dom).toArray(String[]::new);
    List<String> charts = List.of(sizes).subList(0, sizes.length - 2);
    assertEquals(expectedCharts, charts.size(), what + ": " + String.join(" ", sizes));
    for (String size : charts) {
      String[] wh = size.split("x");
      assertTrue(Integer.parseInt(wh[0]) >= 400 && Integer.parseInt(wh[1]) >= 250, "chart laid out at " + size);
    }
    String verdict = sizes[sizes.length - 2];
    assertTrue(verdict.matches("verdict=\\d{3,}x\\d{2,}@\\d+"), verdict);
    int top = Integer.parseInt(verdict.substring(verdict.indexOf('@') + 1));
    assertTrue(top < 300, "verdict near the top of the page: " + verdict);
    int page = Integer.parseInt(sizes[sizes.length - 1].substring("page=".length()));
    assertTrue(page <= HEIGHT, "the screenshot holds the whole page (" + page + " px)");
  }

  @Test
  void screenshotIsNotBlankAndShowsTheReportsColours() {
    BufferedImage screenshot = validation.screenshot();
    assertEquals(WIDTH, screenshot.getWidth());
    Set<Integer> colours = new HashSet<>();
    long nonWhite = 0;
    long badge = 0;
    long goods = 0;
    long bads = 0;
    for (int y = 0; y < screenshot.getHeight(); y++) {
      for (int x = 0; x < screenshot.getWidth(); x++) {
        int rgb = screenshot.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        nonWhite += rgb == 0xFFFFFF ? 0 : 1;
        badge += near(rgb, 0xD69E2E) ? 1 : 0;
        goods += near(rgb, 0x2B6CB0) ? 1 : 0;
        bads += near(rgb, 0xDD6B20) ? 1 : 0;
      }
    }
    double share = nonWhite / (double) (screenshot.getWidth() * screenshot.getHeight());
    assertTrue(colours.size() > 200, "distinct colours: " + colours.size());
    assertTrue(share > 0.03, "non-white share: " + share);
    assertTrue(badge > 500, "amber verdict badge and bars visible: " + badge + " px");
    assertTrue(goods > 500, "goods' blue visible: " + goods + " px");
    assertTrue(bads > 500, "bads' orange visible: " + bads + " px");
  }

  @Test
  void printsToANonEmptyPdf() throws IOException {
    byte[] bytes = Files.readAllBytes(validation.pdf());
    assertTrue(bytes.length > 20_000, "PDF size " + bytes.length);
    assertEquals("%PDF-", new String(bytes, 0, 5, StandardCharsets.ISO_8859_1));
    String tail = new String(bytes, bytes.length - 32, 32, StandardCharsets.ISO_8859_1);
    assertTrue(tail.contains("%%EOF"), tail);
  }

  private static boolean near(int rgb, int target) {
    return Math.abs(((rgb >> 16) & 0xFF) - ((target >> 16) & 0xFF)) <= 6
        && Math.abs(((rgb >> 8) & 0xFF) - ((target >> 8) & 0xFF)) <= 6
        && Math.abs((rgb & 0xFF) - (target & 0xFF)) <= 6;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
