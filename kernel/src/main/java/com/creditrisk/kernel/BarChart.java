package com.creditrisk.kernel;

import java.util.Locale;

/** A plain SVG bar chart: no plotting library on the JVM side, and any Jupyter front end shows SVG. */
final class BarChart {
  static final int MAX_BARS = 200;
  private static final int BAR = 16;
  private static final int LABEL_WIDTH = 140;
  private static final int PLOT_WIDTH = 420;
  private static final int VALUE_WIDTH = 90;

  private BarChart() {}

  static String svg(String title, String[] labels, double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    String[] shown = values(values);
    int width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
    int height = 28 + labels.length * (BAR + 4);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
        width, height));
    sb.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"14\" font-weight=\"bold\">%s</text>%n",
        Tables.escape(title)));
    for (int i = 0; i < labels.length; i++) {
      int y = 24 + i * (BAR + 4);
      double w = max > 0 ? values[i] / max * PLOT_WIDTH : 0;
      sb.append(String.format(Locale.ROOT,
          "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
              + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4c78a8\"/>"
              + "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
          LABEL_WIDTH - 6, y + BAR - 4, Tables.escape(labels[i]), LABEL_WIDTH, y, w, BAR,
          LABEL_WIDTH + w + 4, y + BAR - 4, shown[i]));
    }
    return sb.append("</svg>").toString();
  }

  /** The same numbers for a text-only front end (and for reading an executed notebook's diff). */
  static String text(String title, String[] labels, double[] values) {
    String[] shown = values(values);
    StringBuilder sb = new StringBuilder(title).append('\n');
    for (int i = 0; i < labels.length; i++) {
      sb.append(String.format(Locale.ROOT, "  %-20s %s%n", labels[i], shown[i]));
    }
    return sb.toString();
  }

  /** Counts as whole numbers, anything else (a rate) to 4 decimals, the same for every bar. */
  static String[] values(double[] values) {
    boolean counts = true;
    for (double v : values) {
      counts &= v == Math.rint(v) && Math.abs(v) < 1e15;
    }
    String[] out = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = counts ? String.valueOf((long) values[i]) : Tables.format(values[i]);
    }
    return out;
  }
}
