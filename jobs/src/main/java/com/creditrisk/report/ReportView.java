package com.creditrisk.report;

import java.util.List;

/**
 * What the template reads: every text already formatted, so the template only lays out. Pebble
 * escapes each of these strings; only {@link Section#svg} is inserted raw (it is made by the chart
 * encoder, whose text is drawn as outlines, never copied from the model as markup).
 */
final class ReportView {
  private ReportView() {}

  record Page(String title, String subtitle, String generatedAt, String verdictLight, String verdictReason,
      List<Metric> headline, List<Section> sections) {}

  record Metric(String name, String value, String light, String threshold) {}

  /**
   * @param reason why the section has no data, or null when it has
   * @param note one line under the chart, e.g. the KS value and where it is reached
   */
  record Section(String id, String kind, String title, String reason, String svg, String note, List<Table> tables) {}

  record Table(String caption, List<String> headers, List<List<Cell>> rows, String note) {}

  /**
   * @param css the cell's classes: "num" for figures, "mark" on a highlighted row, else ""
   * @param light "green", "amber" or "red" when the cell shows a light, else ""
   */
  record Cell(String text, String css, String light) {
    static Cell text(String text) {
      return new Cell(text, "", "");
    }

    static Cell num(String text) {
      return new Cell(text, "num", "");
    }

    static Cell light(TrafficLight light) {
      return light == null ? text("-") : new Cell(light.label(), "", light.label());
    }

    Cell marked() {
      return new Cell(text, (css + " mark").strip(), light);
    }
  }
}
