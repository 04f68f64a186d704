package com.creditrisk.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A chart as an {@code <svg>} element to inline in HTML. VectorGraphics2D writes a standalone SVG
 * document; inside an HTML page the XML prolog, the DTD reference and the namespace declarations
 * are not needed (the HTML parser puts {@code <svg>} in the SVG namespace itself), and leaving them
 * out keeps the page free of any URL.
 */
final class InlineSvg {
  private static final Pattern CLIP_ID = Pattern.compile("clip(\\d+)");
  /** Coordinates to 1/100 of a pixel: the text is drawn as glyph outlines, and full doubles triple the size. */
  private static final Pattern LONG_DECIMAL = Pattern.compile("(\\d\\.\\d{2})\\d+");
  private static final Pattern NAMESPACE = Pattern.compile(" xmlns(:\\w+)?=\"[^\"]*\"");

  private InlineSvg() {}

  /**
   * @param chart the chart
   * @param id unique within the page: prefixes the SVG's clip-path ids (several SVGs in one
   *     document share one id space) and names the caption the SVG is labelled by
   */
  static String of(Chart<?, ?> chart, String id) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render chart " + id + " as SVG", e);
    }
    String svg = out.toString(StandardCharsets.UTF_8);
    int start = svg.indexOf("<svg");
    if (start < 0) {
      throw new IllegalStateException("Cannot render chart " + id + ": the SVG encoder wrote no <svg> element");
    }
    svg = NAMESPACE.matcher(svg.substring(start)).replaceAll("");
    svg = LONG_DECIMAL.matcher(svg).replaceAll("$1");
    svg = renumberClips(svg, id);
    return svg.replaceFirst("<svg", "<svg class=\"chart\" role=\"img\" aria-labelledby=\"" + id + "-caption\"").strip();
  }

  /** The encoder names clips after identity hashes: renumbered, the same model gives the same file. */
  private static String renumberClips(String svg, String id) {
    Map<String, String> names = new HashMap<>();
    Matcher m = CLIP_ID.matcher(svg);
    StringBuilder sb = new StringBuilder(svg.length());
    while (m.find()) {
      String name = names.computeIfAbsent(m.group(1), k -> id + "-clip" + names.size());
      m.appendReplacement(sb, Matcher.quoteReplacement(name));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
