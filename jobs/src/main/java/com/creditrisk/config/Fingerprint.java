package com.creditrisk.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The config fingerprint: a short hash of every key that {@link ConfigKey#changesResults()},
 * taken from the parsed values, so the same effective config hashes the same whether a value came
 * from a file (60) or from --set (the string "60").
 *
 * <p>The hashed text keeps the layout it had before the registry existed, because RUN_IDs in
 * users' run history carry the hash: sorted {@code key=value} lines, except that the train,
 * validation and calibrate keys share one line per section, written as the typed settings records
 * printed themselves ({@code train=TrainConfig[models=[...], ...]}). That is why a key in a
 * section declares the field name it has there, and why the section order is the registry's. A
 * key added later is hashed only when it is set away from its default ({@code hashedUnlessDefault}),
 * which keeps that layout, and the RUN_IDs, of every config that does not use it.
 */
final class Fingerprint {
  /** The sections of the hashed text that hold several keys on one line. */
  enum Section {
    TRAIN(null, "train", "TrainConfig"),
    SCALING(TRAIN, "scaling", "PointsScaling"),
    VALIDATION(null, "validation", "ValidationConfig"),
    CALIBRATE(null, "calibrate", "CalibrateConfig");

    private final Section parent;
    private final String name;
    private final String recordName;

    Section(Section parent, String name, String recordName) {
      this.parent = parent;
      this.name = name;
      this.recordName = recordName;
    }

    private List<Section> path() {
      return parent == null ? List.of(this) : java.util.stream.Stream.concat(parent.path().stream(),
          java.util.stream.Stream.of(this)).toList();
    }
  }

  private Fingerprint() {}

  /** The text that is hashed: one {@code key=value} line per key or section, sorted. */
  static String canonicalText(List<ConfigKey<?>> keys, Function<ConfigKey<?>, Object> valueOf) {
    Map<String, String> lines = new TreeMap<>();
    Map<Section, Map<String, Object>> sections = new LinkedHashMap<>();
    for (ConfigKey<?> k : keys) {
      if (!k.changesResults()) {
        continue;
      }
      Object raw = valueOf.apply(k);
      if (k.hashedUnlessDefault() && java.util.Objects.equals(raw, k.defaultValue())) {
        continue;
      }
      String value = k.canonical(raw);
      if (k.section() == null) {
        lines.put(k.key(), value);
        continue;
      }
      List<Section> path = k.section().path();
      Map<String, Object> node = sections.computeIfAbsent(path.get(0), s -> new LinkedHashMap<>());
      for (Section nested : path.subList(1, path.size())) {
        node = nestedNode(node, nested);
      }
      node.put(k.field(), value);
    }
    sections.forEach((s, fields) -> lines.put(s.name, render(s, fields)));
    StringBuilder sb = new StringBuilder();
    lines.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  /** The first 8 hex digits of the SHA-256 of {@link #canonicalText}. */
  static String of(List<ConfigKey<?>> keys, Function<ConfigKey<?>, Object> valueOf) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256")
          .digest(canonicalText(keys, valueOf).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> nestedNode(Map<String, Object> node, Section nested) {
    // A nested section sits where its first key is declared, as the record component did.
    Nested n = (Nested) node.computeIfAbsent(nested.name, x -> new Nested(nested, new LinkedHashMap<>()));
    return n.fields();
  }

  private record Nested(Section section, Map<String, Object> fields) {}

  private static String render(Section s, Map<String, Object> fields) {
    return s.recordName + fields.entrySet().stream()
        .map(e -> e.getKey() + "=" + (e.getValue() instanceof Nested n ? render(n.section(), n.fields()) : e.getValue()))
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
