package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.Reference;
import com.creditrisk.contract.ContractRule.Unique;
import com.creditrisk.contract.InputContract;
import com.creditrisk.contract.KeyTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The checks of a table that no computing pass reads: its row rules in one aggregate over the
 * table (joined with the keys its references look up), added to the {@link BatchQuery}. A unique
 * key that a {@link KeyTable} groups by is counted from that grouping; another one is checked in
 * the same pass, by grouping the rows by the key first and summing the rule counts per group, so
 * the table is scanned and shuffled once.
 */
final class TablePass {
  private final BatchQuery batch;
  private final Map<KeyTable, Dataset<Row>> keys;
  private final List<Violation> out;
  private final Map<String, Map<String, Long>> counts;
  private final List<LocalDate> latest;
  private final Map<KeyTable, Long> keyCounts;

  /**
   * @param keys the grouped key tables, by the table they group
   * @param out where violations go, in the order the batch reads them
   * @param counts where each table's row counts go
   * @param latest where each table's latest date goes
   * @param keyCounts where the distinct keys of a key table go, when its unique rule is checked
   */
  TablePass(BatchQuery batch, Map<KeyTable, Dataset<Row>> keys, List<Violation> out,
      Map<String, Map<String, Long>> counts, List<LocalDate> latest, Map<KeyTable, Long> keyCounts) {
    this.batch = batch;
    this.keys = keys;
    this.out = out;
    this.counts = counts;
    this.latest = latest;
    this.keyCounts = keyCounts;
  }

  /**
   * Adds the checks of the rules given (the applicable ones of one table) to the batch: the row
   * rules and at most one unique key not grouped by a key table in one pass, then the unique keys
   * a key table groups by.
   */
  void add(RawInput in, List<ContractRule> rules, AsOfCounts asOf) {
    List<CheckedRule> rowRules = new ArrayList<>();
    Optional<KeyTable> joined = Optional.empty();
    Optional<ContractRule> grouped = Optional.empty();
    List<ContractRule> fromKeyTable = new ArrayList<>();
    for (ContractRule r : rules) {
      if (CheckedRule.isRowRule(r)) {
        rowRules.add(CheckedRule.of(r, in));
      }
      if (r.check() instanceof Reference ref) {
        if (joined.isPresent() && joined.get() != ref.keys()) {
          throw new IllegalArgumentException(in.table() + " refers to two key tables; one join per pass");
        }
        joined = Optional.of(ref.keys());
      } else if (r.check() instanceof Unique u) {
        if (keyTable(r).isPresent()) {
          fromKeyTable.add(r);
        } else if (grouped.isPresent()) {
          throw new IllegalArgumentException(in.table() + " has two unique keys to group by; one per pass");
        } else {
          grouped = Optional.of(r);
        }
      }
    }
    Dataset<Row> df = joined.map(k -> in.typed().join(keys.get(k), k.key(), "left")).orElse(in.typed());
    rowPass(df, in.table().tableName(), rowRules, InputContract.exampleKey(in.table()), asOf, grouped);
    for (ContractRule r : fromKeyTable) {
      KeyTable k = keyTable(r).orElseThrow();
      duplicateKeys(k, keys.get(k), in.table().tableName(), r, col(k.rowsColumn()));
    }
  }

  /** The key table that groups a unique rule's table by exactly its key, if any. */
  private static Optional<KeyTable> keyTable(ContractRule unique) {
    List<String> columns = ((Unique) unique.check()).columns();
    for (KeyTable k : KeyTable.values()) {
      if (k.table() == unique.table() && columns.equals(List.of(k.key()))) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private void rowPass(Dataset<Row> df, String table, List<CheckedRule> rules, Column key, AsOfCounts asOf,
      Optional<ContractRule> unique) {
    Map<String, Column> countConditions = asOf.conditions();
    // Per-row indicators; with a unique key they are first summed per key, then over keys.
    List<Column> perRow = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Column> e : countConditions.entrySet()) {
      perRow.add(when(e.getValue(), 1L).otherwise(0L));
      names.add(e.getKey());
    }
    for (int i = 0; i < rules.size(); i++) {
      perRow.add(when(rules.get(i).failing(), 1L).otherwise(0L));
      names.add("v" + i);
    }
    Dataset<Row> source;
    Column rowsExpr;
    Column latestExpr;
    Column dupExpr = lit(0L);
    Dataset<Row> groups = null;
    if (unique.isPresent()) {
      List<Column> groupAggs = new ArrayList<>();
      groupAggs.add(max(asOf.latest()).as("__latest"));
      for (int i = 0; i < perRow.size(); i++) {
        groupAggs.add(sum(perRow.get(i)).as(names.get(i)));
      }
      Column[] keyColumns = ((Unique) unique.get().check()).columns().stream().map(k -> col(k))
          .toArray(Column[]::new);
      groups = df.groupBy(keyColumns).agg(count(lit(1)).as("__n"), groupAggs.toArray(new Column[0]));
      Column keyPresent = lit(true);
      for (Column k : keyColumns) {
        keyPresent = keyPresent.and(k.isNotNull());
      }
      source = groups;
      rowsExpr = sum(col("__n"));
      latestExpr = max(col("__latest"));
      dupExpr = sum(when(col("__n").gt(1).and(keyPresent), col("__n")).otherwise(0L));
      groups = groups.filter(col("__n").gt(1).and(keyPresent));
    } else {
      List<Column> cols = new ArrayList<>();
      cols.add(asOf.latest().as("__latest"));
      for (int i = 0; i < perRow.size(); i++) {
        cols.add(perRow.get(i).as(names.get(i)));
      }
      source = df.select(cols.toArray(new Column[0]));
      rowsExpr = count(lit(1));
      latestExpr = max(col("__latest"));
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(latestExpr);
    aggs.add(coalesce(dupExpr, lit(0L)));
    for (String n : names) {
      aggs.add(coalesce(sum(col(n)), lit(0L)));
    }
    Dataset<Row> duplicates = groups;
    batch.add(source.agg(coalesce(rowsExpr, lit(0L)), aggs.toArray(new Column[0])), (agg, at) -> {
      Map<String, Long> c = new LinkedHashMap<>();
      c.put("rows", agg.getLong(at));
      if (!agg.isNullAt(at + 1)) {
        latest.add(((java.sql.Date) agg.get(at + 1)).toLocalDate());
      }
      long dupRows = agg.getLong(at + 2);
      int pos = at + 3;
      for (String name : countConditions.keySet()) {
        c.put(name, agg.getLong(pos++));
      }
      counts.put(table, c);
      for (int i = 0; i < rules.size(); i++) {
        long n = agg.getLong(pos + i);
        if (n > 0) {
          CheckedRule rule = rules.get(i);
          out.add(new Violation(table, rule.column(), rule.wording(), n,
              Examples.of(df.filter(rule.failing()), rule.exampleKey(key))));
        }
      }
      if (dupRows > 0) {
        ContractRule u = unique.get();
        out.add(new Violation(table, u.column(), u.wording(), dupRows,
            Examples.of(duplicates, ((Unique) u.check()).exampleKey())));
      }
    });
  }

  /** The rows sharing a key, and (in the same aggregate) the distinct keys, which coverage rules compare with. */
  private void duplicateKeys(KeyTable k, Dataset<Row> grouped, String table, ContractRule unique, Column n) {
    Dataset<Row> dups = grouped.filter(n.gt(1));
    // A blank key is reported by its not-null rule: no coverage is asked of it.
    Column keyed = trim(col(k.key())).notEqual("");
    batch.add(grouped.agg(coalesce(sum(when(n.gt(1), n)), lit(0L)), count(when(keyed, 1))), (agg, at) -> {
      keyCounts.put(k, agg.getLong(at + 1));
      long rows = agg.getLong(at);
      if (rows > 0) {
        out.add(new Violation(table, unique.column(), unique.wording(), rows,
            Examples.of(dups, ((Unique) unique.check()).exampleKey())));
      }
    });
  }
}
