package com.creditrisk.contract;

import com.creditrisk.contract.ContractRule.Covered;
import com.creditrisk.contract.ContractRule.Reference;
import java.util.Locale;

/**
 * The rule list of an {@link InputContract} as text (what {@code credit-risk contract} prints)
 * and as Markdown (docs/contract.md). Both list the rules in the order the exit-3 message reports
 * them, with the wording it uses.
 */
public final class ContractDocs {
  /** The command that regenerates docs/contract.md, named where the file is checked. */
  public static final String REGENERATE = "bin/credit-risk contract --markdown > docs/contract.md";

  private ContractDocs() {}

  /** One line per rule, grouped by table: column, kind, wording. */
  public static String text(InputContract contract) {
    int width = contract.rules().stream().mapToInt(r -> column(r).length()).max().orElse(0);
    int kindWidth = contract.rules().stream().mapToInt(r -> kind(r).length()).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append("Input contract: ").append(contract.rules().size()).append(" rules on ")
        .append(InputTable.values().length).append(" tables. A violation is exit 3; a rule that reads a missing\n")
        .append("or mistyped column is skipped (the column problem is reported instead).\n");
    for (InputTable t : InputTable.values()) {
      sb.append('\n').append(t.tableName()).append(t.isOptional() ? " (optional)" : "").append('\n');
      String line = "  %-" + width + "s  %-" + kindWidth + "s  %s%n";
      sb.append(String.format(Locale.ROOT, line, "column", "kind", "rule"));
      for (ContractRule r : contract.rules(t)) {
        sb.append(String.format(Locale.ROOT, line, column(r), kind(r), r.wording()));
      }
    }
    return sb.toString();
  }

  /** docs/contract.md: each table's columns, then its rules. */
  public static String markdown(InputContract contract) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Input contract\n\n")
        .append("<!-- Generated from com.creditrisk.contract.InputContract; do not edit. Regenerate with:\n")
        .append("     ").append(REGENERATE).append(" -->\n\n")
        .append("Every rule below is checked on the full data before anything is written (DESIGN.md, \"Inputs\").\n")
        .append("A violation stops the job with exit code 3 and one message that lists every problem found, one\n")
        .append("line each: `table.column: rule (N rows, e.g. KEY, ...)` (`table: rule (...)` for a rule on the\n")
        .append("whole row), with the rule worded as below. A rule that reads a column that is missing or of the\n")
        .append("wrong type is skipped; the column problem is reported instead. The score range is the configured\n")
        .append("one (`score.min`, `score.max`), here the bundled defaults.\n\n")
        .append("Kinds: **field count** (a CSV row has as many fields as the header; listed under `(row)`),\n")
        .append("**column** (present and of a type that can hold the contract type, checked as the table is read),\n")
        .append("**parse** (a present cell parses as that type), **finite** (a number is not NaN or Infinity,\n")
        .append("whatever the format), **not null** (nor blank), **row** (a condition on the row), **reference**\n")
        .append("(a condition on the row and the row of the other table it refers to), **unique key** (no two\n")
        .append("rows share the key), **coverage** (every key of the table has rows in the other table), **per\n")
        .append("loan** (a condition on all the installment rows of one loan; the count and the examples are\n")
        .append("loans), **table** (a condition on the table as a whole as of the run's date).\n");
    for (InputTable t : InputTable.values()) {
      sb.append("\n## ").append(t.tableName()).append(t.isOptional() ? " (optional)" : "").append("\n\n")
          .append("| column | type | null allowed | if absent |\n|---|---|---|---|\n");
      for (ColumnSpec c : t.columns()) {
        sb.append("| ").append(c.name()).append(" | ").append(c.type().label()).append(" | ")
            .append(c.nullable() ? "yes" : "no").append(" | ")
            .append(c.required() ? "missing column" : "read as nulls").append(" |\n");
      }
      sb.append("\n| column | kind | rule |\n|---|---|---|\n");
      for (ContractRule r : contract.rules(t)) {
        sb.append("| ").append(cell(column(r))).append(" | ").append(kind(r)).append(" | `")
            .append(cell(r.wording())).append("` |\n");
      }
    }
    return sb.toString();
  }

  /** The column a rule is listed under; {@code (row)} for a rule on the whole row. */
  public static String column(ContractRule r) {
    return r.column().isEmpty() ? "(row)" : r.column();
  }

  /** The kind's label; a reference names the table it looks up. */
  static String kind(ContractRule r) {
    if (r.check() instanceof Reference ref) {
      return r.kind().label() + " (" + ref.keys().table().tableName() + ")";
    }
    if (r.check() instanceof Covered c) {
      return r.kind().label() + " (" + c.by().tableName() + ")";
    }
    return r.kind().label();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|");
  }
}
