package com.creditrisk.report;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders a {@link ReportModel} as one self-contained HTML page: the verdict and summary first,
 * then each section's chart (inline SVG) with how to read it, then its tables. The page loads
 * nothing: no script, font, stylesheet or image from anywhere, so it opens the same offline, in a
 * mail attachment or from an archive years later, and prints on A4.
 *
 * <p>Charts need Java2D but no display: the renderer runs in a headless JVM (a Spark driver, CI).
 */
public final class ReportRenderer {
  private static final String TEMPLATE = "com/creditrisk/report/report.peb";
  private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

  static {
    // Java2D may otherwise try a display when DISPLAY is set (a developer's desktop): charts never need one.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final PebbleTemplate template;
  private final SmallCells cells;

  /** @param cells the small-cell rule (privacy.min_cell_count); {@link SmallCells#NONE} shows every cell */
  public ReportRenderer(SmallCells cells) {
    this.cells = Objects.requireNonNull(cells, "cells");
    ClasspathLoader loader = new ClasspathLoader(ReportRenderer.class.getClassLoader());
    PebbleEngine engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(true)
        .cacheActive(false).build();
    this.template = engine.getTemplate(TEMPLATE);
  }

  /** The report as an HTML document (UTF-8 when written out). */
  public String render(ReportModel model) {
    List<ReportView.Section> sections = model.sections().stream()
        .sorted(Comparator.comparing(ReportSection::kind))
        .map(s -> SectionViews.of(s, cells))
        .toList();
    List<ReportView.Metric> headline = model.headline().stream()
        .map(m -> new ReportView.Metric(m.name(), m.value(), m.light() == null ? "" : m.light().label(),
            m.threshold()))
        .toList();
    ReportView.Page page = new ReportView.Page(model.title(), model.subtitle(),
        GENERATED.format(model.generatedAt().atOffset(ZoneOffset.UTC)), model.verdict().light().label(),
        model.verdict().reason(), headline, sections);
    StringWriter out = new StringWriter(1 << 20);
    try {
      template.evaluate(out, Map.of("page", page));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the report", e);
    }
    return out.toString();
  }
}
