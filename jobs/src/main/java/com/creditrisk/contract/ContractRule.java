package com.creditrisk.contract;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * One rule of the input contract: the table and column it is about, its wording (the text of the
 * exit-3 message after "table.column: "), the columns it reads and how it is checked.
 *
 * @param column the column named in the message; for a unique key, its columns and a note; for a
 *     coverage rule, the key (of the same name in the covering table); empty for a rule on the whole
 *     row ({@link FieldCount})
 * @param needs columns of {@code table} the check reads: when one of them is missing or of the
 *     wrong type, that is reported and this rule is skipped
 */
public record ContractRule(InputTable table, String column, String wording, List<String> needs, Check check) {
  public ContractRule {
    needs = List.copyOf(needs);
    for (String c : needs) {
      if (table.column(c).isEmpty()) {
        throw new IllegalArgumentException("Rule '" + wording + "' needs " + c + ", not a column of " + table);
      }
    }
    if (check instanceof Covered c && (!needs.contains(column) || c.by().column(column).isEmpty())) {
      throw new IllegalArgumentException("Rule '" + wording + "' must need its key " + column + ", a column of "
          + c.by());
    }
    if (check instanceof Reference r && !needs.contains(r.keys().key())) {
      throw new IllegalArgumentException("Rule '" + wording + "' must need its join column " + r.keys().key());
    }
  }

  public RuleKind kind() {
    return check.kind();
  }

  /**
   * Every column the check reads, as {@code table.column}, including those of the table a
   * reference looks up.
   */
  public List<String> neededColumns() {
    List<String> q = new ArrayList<>();
    needs.forEach(c -> q.add(table.tableName() + "." + c));
    if (check instanceof Reference r) {
      r.keys().needs().forEach(c -> q.add(r.keys().table().tableName() + "." + c));
    }
    if (check instanceof Covered c) {
      q.add(c.by().tableName() + "." + column);
    }
    return q;
  }

  /** How a rule is checked. */
  public sealed interface Check permits FieldCount, Present, Parses, Finite, NotNull, RowCondition, Reference, Unique,
      Covered, PerLoan, Overall {
    RuleKind kind();
  }

  /**
   * A CSV row has as many fields as the header: Spark's reader would pad a short row with nulls
   * and drop the extra fields of a long one. The reader flags such rows; other formats have none.
   * The rule is about the row, so it names no column.
   */
  public record FieldCount() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.FIELD_COUNT;
    }
  }

  /** The column is there and of a usable type: checked by the reader, before any row is read. */
  public record Present() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.COLUMN;
    }
  }

  /** A present cell parses as the contract type: the reader flags the cells that do not. */
  public record Parses() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.PARSE;
    }
  }

  /**
   * A parsed number is finite: NaN and Infinity (any case, signed, or a literal that overflows)
   * parse as a double but are no amount, and would pass every comparison rule. The reader flags them.
   */
  public record Finite() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.FINITE;
    }
  }

  /** The source cell is not null or blank: the reader flags the cells that are. */
  public record NotNull() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.NOT_NULL;
    }
  }

  /** @param failing true on a row that breaks the rule, over the table's parsed columns */
  public record RowCondition(Column failing) implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.ROW;
    }
  }

  /**
   * @param keys the looked-up table, joined (left) on its key column
   * @param failing true on a row that breaks the rule, over the row joined with {@code keys}
   * @param exampleKey how the message names a failing row, when the table's own key is not enough
   *     (e.g. both sides of a link the two tables disagree on); null for the table's key
   */
  public record Reference(KeyTable keys, Column failing, Column exampleKey) implements Check {
    public Reference(KeyTable keys, Column failing) {
      this(keys, failing, null);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.REFERENCE;
    }
  }

  /**
   * @param columns the key; rows with a null key column are left to the not-null rules
   * @param exampleKey the key as text, for the example keys of the message
   */
  public record Unique(List<String> columns, Column exampleKey) implements Check {
    public Unique {
      columns = List.copyOf(columns);
    }

    @Override
    public RuleKind kind() {
      return RuleKind.UNIQUE;
    }
  }

  /**
   * Every key of the rule's table has at least one row in {@code by}: checked by the pass that
   * reads {@code by} (it counts the keys it met), so that table is not read again for it.
   *
   * @param by the table whose rows must cover every key
   */
  public record Covered(InputTable by) implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.COVERAGE;
    }
  }

  /**
   * A condition on all the installment rows of one loan, checked where the repayments are grouped
   * by loan for the labels; the count and the examples are loans.
   *
   * @param failing true for a loan that breaks the rule, over the aggregates of {@link Schedule}
   */
  public record PerLoan(Column failing) implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.PER_LOAN;
    }
  }

  /**
   * A condition on the table as a whole as of the run's date, checked by the pass that computes
   * from it; the count is the rows of the run it leaves without what the rule asks for.
   */
  public record Overall() implements Check {
    @Override
    public RuleKind kind() {
      return RuleKind.TABLE;
    }
  }
}
