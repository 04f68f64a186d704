package com.creditrisk.validation;

import static com.creditrisk.validation.ScoreColumns.COMPARE;
import static com.creditrisk.validation.ScoreColumns.LABEL;
import static com.creditrisk.validation.ScoreColumns.PD;
import static com.creditrisk.validation.ScoreColumns.SCORE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.errors.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Counts from one pass over the table, for the input checks and the excluded-rows report. */
record Profile(long rows, long nullLabel, long otherLabel, long bads, long goods, long badScore, long badPd,
    long badCompare, Double minScore, Double maxScore) {
  Map<String, Long> excluded() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("null_label", nullLabel);
    return m;
  }

  /** Every problem with the rows at once: exit 3, nothing computed or written. */
  void check(ValidateScores.Input in) {
    List<String> problems = new ArrayList<>();
    if (otherLabel > 0) {
      problems.add("column '" + in.labelCol() + "' must hold 0/1 (1 = bad), or name the bad value with --bad-value; "
          + "found " + otherLabel + " rows with other values");
    }
    if (badScore > 0) {
      problems.add("column '" + in.scoreCol() + "' has " + badScore + " null or NaN scores among the labelled rows "
          + "(--score-col; drop or score those rows)");
    }
    if (badPd > 0) {
      problems.add("column '" + in.pdCol() + "' has " + badPd + " null, NaN or out-of-[0, 1] PDs among the labelled "
          + "rows (--pd-col)");
    }
    if (badCompare > 0) {
      problems.add("column '" + in.compareCol() + "' has " + badCompare + " null or NaN scores among the labelled "
          + "rows (--compare-col)");
    }
    if (otherLabel == 0 && (bads == 0 || goods == 0)) {
      problems.add("column '" + in.labelCol() + "' has one class only among " + (bads + goods) + " labelled rows ("
          + bads + " bad, " + goods + " good)" + (in.badValue() != null && bads == 0
              ? "; --bad-value " + in.badValue() + " does not occur" : ""));
    }
    if (!problems.isEmpty()) {
      throw Errors.badTableColumns(in.scores(), problems, null);
    }
  }

  /** The profile as a distributed pass of its own over {@link ScoreColumns#prepare}'s columns. */
  static Profile of(Dataset<Row> prepared, ValidateScores.Input in) {
    Column labelled = col(LABEL).isNotNull();
    Column label = col(LABEL);
    Column badScore = col(SCORE).isNull().or(col(SCORE).isNaN());
    List<Column> aggs = new ArrayList<>(List.of(count(lit(1)), countIf(label.isNull()),
        countIf(labelled.and(label.isNaN().or(label.notEqual(0).and(label.notEqual(1))))),
        countIf(label.equalTo(1)), countIf(label.equalTo(0)), countIf(labelled.and(badScore)),
        in.pdCol() == null ? lit(0L) : countIf(labelled.and(col(PD).isNull().or(col(PD).isNaN())
            .or(col(PD).lt(0)).or(col(PD).gt(1)))),
        in.compareCol() == null ? lit(0L) : countIf(labelled.and(col(COMPARE).isNull().or(col(COMPARE).isNaN()))),
        min(when(labelled.and(badScore.unary_$bang()), col(SCORE))),
        max(when(labelled.and(badScore.unary_$bang()), col(SCORE)))));
    Row r = prepared.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    return new Profile(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
        r.getLong(6), r.getLong(7), r.isNullAt(8) ? null : r.getDouble(8), r.isNullAt(9) ? null : r.getDouble(9));
  }

  static Column countIf(Column c) {
    return sum(when(c, 1L).otherwise(0L));
  }
}
