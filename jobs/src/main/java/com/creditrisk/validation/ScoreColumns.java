package com.creditrisk.validation;

import static com.creditrisk.binning.BinFeatures.quote;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import com.creditrisk.binning.BinFeatures;
import com.creditrisk.io.WarehouseColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The columns every statistic of the pack reads, under fixed names whatever the table calls them:
 * score, risk (higher = riskier), label 0/1, PD, grade, month, the compared model's risk, and the
 * CSI features as they are.
 */
final class ScoreColumns {
  static final String SCORE = "__score";
  static final String RISK = "__risk";
  static final String LABEL = "__label";
  static final String PD = "__pd";
  static final String GRADE = "__grade";
  static final String MONTH = "__month";
  static final String COMPARE = "__compare_risk";
  /** Only for rows read by {@link PlainNumbers}: whether the row's line has a cell that is not a plain number. */
  static final String UNPARSED = "__unparsed";

  private ScoreColumns() {}

  /**
   * @param wholeScores keep the score and the compared score in their integer type when they have
   *     one (for {@link DistinctValueCounts}: integer keys hash faster than doubles); else every
   *     score is a double
   */
  static Dataset<Row> prepare(Dataset<Row> raw, ValidateScores.Input in, List<Double> gradeBounds,
      boolean wholeScores) {
    StructType schema = raw.schema();
    Column score = number(schema, in.scoreCol(), wholeScores);
    List<Column> cols = new ArrayList<>(List.of(score.as(SCORE),
        (in.higherIsSafe() ? score.multiply(-1) : score).as(RISK),
        BinFeatures.label(schema.apply(in.labelCol()).dataType(), col(quote(in.labelCol())), in.badValue()).as(LABEL)));
    if (in.pdCol() != null) {
      Column pd = col(quote(in.pdCol())).cast("double");
      cols.add(pd.as(PD));
      cols.add(in.gradeCol() != null ? col(quote(in.gradeCol())).cast("string").as(GRADE)
          : WarehouseColumns.riskGrade(pd, gradeBounds).cast("string").as(GRADE));
    } else if (in.gradeCol() != null) {
      cols.add(col(quote(in.gradeCol())).cast("string").as(GRADE));
    }
    if (in.monthCol() != null) {
      // CSV schema inference reads "2024-01" as a timestamp: months are named yyyy-MM again.
      DataType t = schema.apply(in.monthCol()).dataType();
      Column m = col(quote(in.monthCol()));
      cols.add((t instanceof DateType || t instanceof TimestampType ? date_format(m, "yyyy-MM") : m.cast("string"))
          .as(MONTH));
    }
    if (in.compareCol() != null) {
      Column c = number(schema, in.compareCol(), wholeScores);
      cols.add((in.higherIsSafe() ? c.multiply(-1) : c).as(COMPARE));
    }
    in.csiCols().stream().distinct().forEach(c -> cols.add(col(quote(c))));
    if (PlainNumbers.plain(schema)) {
      cols.add(col(PlainNumbers.UNPARSED).isNotNull().as(UNPARSED));
    }
    return raw.select(cols.toArray(new Column[0]));
  }

  /** A numeric column as a double, or as it is when it holds whole numbers and that is wanted. */
  static Column number(StructType schema, String name, boolean keepWhole) {
    return keepWhole && whole(schema.apply(name).dataType()) ? col(quote(name)) : col(quote(name)).cast("double");
  }

  /** Whether a column type holds whole numbers only. */
  static boolean whole(DataType t) {
    return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
  }
}
