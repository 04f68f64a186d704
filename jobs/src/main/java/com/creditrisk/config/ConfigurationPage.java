package com.creditrisk.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/configuration.md, generated from the registry so the page cannot drift from the keys the
 * jobs accept. ConfigurationPageTest fails when the committed page differs, and rewrites it when
 * run with {@code -Dconfig.page.write=true}.
 */
public final class ConfigurationPage {
  private ConfigurationPage() {}

  /** How to regenerate the page, quoted in its header and in the test's failure message. */
  public static final String REGENERATE =
      "mvn -B -o -pl jobs test -Dtest=ConfigurationPageTest -Dconfig.page.write=true";

  public static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append("<!-- Generated from the config registry (jobs/src/main/java/com/creditrisk/config/*Keys.java); ")
        .append("do not edit. Regenerate: ").append(REGENERATE).append(" -->\n\n")
        .append("Every key the jobs accept, with its default (the bundled `conf/defaults.conf`, which a test ")
        .append("keeps equal to this list). Precedence, highest first: `--set key=value`, then `--conf FILE` ")
        .append("(a later file beats an earlier one), then the profile named by `CREDIT_RISK_CONF` ")
        .append("(`bin/credit-risk` sets it to `conf/local.conf`), then the bundled defaults. An unknown key or ")
        .append("a bad value stops any command with exit 2, naming the key.\n\n")
        .append("**RUN_ID**: a key marked *yes* changes what a run computes, so it is part of the config ")
        .append("fingerprint in every RUN_ID; changing it starts new runs. Keys marked *no* change how or when ")
        .append("a run goes (Spark sizing, scheduling) and reuse the same runs.\n");
    Map<String, List<ConfigKey<?>>> bySection = new LinkedHashMap<>();
    for (ConfigKey<?> k : ConfigKeys.all()) {
      String section = k.key().contains(".") ? k.key().substring(0, k.key().indexOf('.')) : k.key();
      bySection.computeIfAbsent(section, s -> new java.util.ArrayList<>()).add(k);
    }
    bySection.forEach((section, keys) -> {
      md.append("\n## ").append(section).append("\n\n")
          .append("| Key | Value | Default | RUN_ID | Meaning |\n")
          .append("|---|---|---|---|---|\n");
      for (ConfigKey<?> k : keys) {
        md.append("| `").append(k.key()).append("` | ").append(text(k.type().describe())).append(" | ")
            .append(defaultOf(k)).append(" | ").append(k.changesResults() ? "yes" : "no").append(" | ")
            .append(text(k.doc())).append(" |\n");
      }
    });
    return md.toString();
  }

  private static <T> String defaultOf(ConfigKey<T> k) {
    T d = k.defaultValue();
    return d == null ? "null" : "`" + cell(k.type().render(d)) + "`";
  }

  /** Inside a code span only the table's pipes need escaping. */
  private static String cell(String code) {
    return code.replace("|", "\\|");
  }

  /** Plain text: angle brackets would read as HTML tags. */
  private static String text(String plain) {
    return cell(plain).replace("<", "&lt;").replace(">", "&gt;");
  }
}
