package com.creditrisk.binning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The bins of a model as JSON: {"unlabeled_rows": n, "bins": [{feature, index, kind, label, lower,
 * upper, levels, level_count, special_value, count, goods, bads, bad_rate, woe, iv}, ...]}. Doubles are written
 * in Java's shortest round-trip form, so reading gives back the same values exactly. Used for the
 * model's saved data and for the bin command's bins.json.
 */
public final class WoeBinsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private WoeBinsJson() {}

  /** The document for a list of bins and the count of rows ignored for a null label. */
  public static String write(List<WoeBin> bins, long unlabeledRows) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("unlabeled_rows", unlabeledRows);
    ArrayNode arr = root.putArray("bins");
    for (WoeBin b : bins) {
      ObjectNode o = arr.addObject();
      o.put("feature", b.feature());
      o.put("index", b.index());
      o.put("kind", b.kind().id());
      o.put("label", b.label());
      o.put("lower", b.lower());
      o.put("upper", b.upper());
      ArrayNode lv = o.putArray("levels");
      b.levels().forEach(lv::add);
      o.put("level_count", b.levelCount());
      o.put("special_value", b.specialValue());
      o.put("count", b.count());
      o.put("goods", b.goods());
      o.put("bads", b.bads());
      o.put("bad_rate", b.badRate());
      o.put("woe", b.woe());
      o.put("iv", b.iv());
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parsed bins and unlabeled-row count. */
  public record Parsed(List<WoeBin> bins, long unlabeledRows) {}

  public static Parsed read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<WoeBin> bins = new ArrayList<>();
    for (JsonNode o : root.get("bins")) {
      List<String> levels = new ArrayList<>();
      o.get("levels").forEach(l -> levels.add(l.asText()));
      WoeBin.Kind kind = WoeBin.Kind.of(o.get("kind").asText());
      // A model saved before level_count named its "other" members: keep their number, drop the names.
      int levelCount = o.has("level_count") ? o.get("level_count").asInt() : levels.size();
      if (kind == WoeBin.Kind.OTHER) {
        levels.clear();
      }
      bins.add(new WoeBin(o.get("feature").asText(), o.get("index").asInt(), kind,
          nullableDouble(o, "lower"), nullableDouble(o, "upper"), levels, levelCount, nullableDouble(o, "special_value"),
          o.get("count").asLong(), o.get("goods").asLong(), o.get("bads").asLong(), o.get("bad_rate").asDouble(),
          o.get("woe").asDouble(), o.get("iv").asDouble()));
    }
    return new Parsed(bins, root.get("unlabeled_rows").asLong());
  }

  private static Double nullableDouble(JsonNode o, String field) {
    JsonNode n = o.get(field);
    return n == null || n.isNull() ? null : n.asDouble();
  }
}
