package com.creditrisk.report;

import java.util.ArrayList;
import java.util.List;

/**
 * What the template reads: every text already formatted, so the template only lays out. Pebble
 * escapes each of these strings; only {@link Figure#svg} is inserted raw (it is made by the chart
 * encoder, whose text is drawn as outlines, never copied from the model as markup).
 */
final class ReportView {
  private ReportView() {}

  record Page(String title, String subtitle, String generatedAt, String verdictLight, String verdictReason,
      List<Metric> headline, List<Section> sections) {}

  record Metric(String name, String value, String light, String threshold) {}

  /** @param reason why the section has no data, or null when it has */
  record Section(String id, String kind, String title, String reason, List<Figure> figures, List<Table> tables) {}

  /** @param caption under the chart, e.g. with the KS value and where it is reached */
  record Figure(String id, String svg, String caption) {}

  /** @param headers each with the class of its column's cells ("num" right-aligns) */
  record Table(String caption, List<Cell> headers, List<List<Cell>> rows, String note) {
    static Table of(String caption, List<String> headers, List<List<Cell>> rows, String note) {
      List<Cell> head = new ArrayList<>();
      for (int i = 0; i < headers.size(); i++) {
        boolean numeric = !rows.isEmpty() && i < rows.get(0).size() && rows.get(0).get(i).css().contains("num");
        head.add(numeric ? Cell.num(headers.get(i)) : Cell.text(headers.get(i)));
      }
      return new Table(caption, head, rows, note);
    }
  }

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
