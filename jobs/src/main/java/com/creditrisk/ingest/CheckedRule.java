package com.creditrisk.ingest;

import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.FieldCount;
import com.creditrisk.contract.ContractRule.Finite;
import com.creditrisk.contract.ContractRule.NotNull;
import com.creditrisk.contract.ContractRule.Parses;
import com.creditrisk.contract.ContractRule.Reference;
import com.creditrisk.contract.ContractRule.RowCondition;
import org.apache.spark.sql.Column;

/**
 * A contract rule that is evaluated row by row, bound to an input: the column it is reported
 * under, its wording, the condition true on a bad row, and how an example row is named (null:
 * by the table's key).
 */
record CheckedRule(String column, String wording, Column failing, Column exampleKey) {
  /** Whether a rule is checked row by row (the others are checked by the reader, or per key). */
  static boolean isRowRule(ContractRule r) {
    return r.check() instanceof FieldCount || r.check() instanceof Parses || r.check() instanceof Finite || r.check() instanceof NotNull || r.check() instanceof RowCondition
        || r.check() instanceof Reference;
  }

  /** How the message names an example row, given the table's key. */
  Column exampleKey(Column tableKey) {
    return exampleKey == null ? tableKey : exampleKey;
  }

  /** The field count, parse, finite and null conditions are the reader's flags on the input; the others are declared. */
  static CheckedRule of(ContractRule r, RawInput in) {
    Column failing;
    Column exampleKey = null;
    if (r.check() instanceof FieldCount) {
      failing = in.malformedRow();
    } else if (r.check() instanceof Parses) {
      failing = in.parseFailures().get(r.column());
    } else if (r.check() instanceof Finite) {
      failing = in.nonFinite().get(r.column());
    } else if (r.check() instanceof NotNull) {
      failing = in.rawNull().get(r.column());
    } else if (r.check() instanceof RowCondition c) {
      failing = c.failing();
    } else if (r.check() instanceof Reference c) {
      failing = c.failing();
      exampleKey = c.exampleKey();
    } else {
      throw new IllegalArgumentException("Not a row rule: " + r.kind() + " " + r.wording());
    }
    return new CheckedRule(r.column(), r.wording(), failing, exampleKey);
  }
}
