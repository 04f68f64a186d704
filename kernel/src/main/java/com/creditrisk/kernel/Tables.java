package com.creditrisk.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** A DataFrame's first rows as an HTML table, with a plain-text twin for consoles and diffs. */
public final class Tables {
  private Tables() {}

  /** Collects at most {@code maxRows} rows (one more, to say whether there are others) to the driver. */
  public static DisplayData render(Dataset<?> df, int maxRows) {
    String[] columns = df.columns();
    List<Row> rows = df.toDF().limit(maxRows + 1).collectAsList();
    boolean more = rows.size() > maxRows;
    List<String[]> cells = new ArrayList<>();
    for (Row r : rows.subList(0, Math.min(maxRows, rows.size()))) {
      String[] c = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        c[i] = format(r.get(i));
      }
      cells.add(c);
    }
    String footer = more ? "only the first " + maxRows + " rows shown" : null;
    DisplayData d = new DisplayData(text(columns, cells, footer));
    d.putHTML(html(columns, cells, footer));
    return d;
  }

  /** Fractions to 4 decimals: metrics and rates, where more digits are noise to a reader. */
  static String format(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : String.valueOf(x);
    }
    return String.valueOf(v);
  }

  static String html(String[] columns, List<String[]> rows, String footer) {
    StringBuilder sb = new StringBuilder("<table>\n<thead><tr>");
    for (String c : columns) {
      sb.append("<th>").append(escape(c)).append("</th>");
    }
    sb.append("</tr></thead>\n<tbody>\n");
    for (String[] r : rows) {
      sb.append("<tr>");
      for (String v : r) {
        sb.append("<td>").append(escape(v)).append("</td>");
      }
      sb.append("</tr>\n");
    }
    sb.append("</tbody>\n</table>");
    if (footer != null) {
      sb.append("\n<p><em>").append(escape(footer)).append("</em></p>");
    }
    return sb.toString();
  }

  static String text(String[] columns, List<String[]> rows, String footer) {
    int[] width = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      width[i] = columns[i].length();
      for (String[] r : rows) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, columns, width);
    for (String[] r : rows) {
      appendLine(sb, r, width);
    }
    if (footer != null) {
      sb.append('(').append(footer).append(")\n");
    }
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, String[] values, int[] width) {
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%-" + width[i] + "s", values[i]));
    }
    sb.append('\n');
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
