package com.creditrisk.validation;

import com.creditrisk.io.Csv;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A CSV read without schema inference, which parses the whole file once more before the first
 * statistic: the header gives the columns, the wanted ones are read as doubles by the CSV
 * reader's own conversion, every other one as a string, and each line with a cell that
 * conversion rejects is kept whole in {@link #UNPARSED}.
 *
 * <p>Why the numbers are those of the read with inference: a column whose cells all convert (or
 * are empty) is inferred as a number, as inference tries int, long, decimal and double before any
 * other type and merges those into a number type; and a cell of any of them, read as that type and
 * cast to a double, is the double the conversion gives, the same decimal number rounded once to
 * the nearest double (ints, longs and decimals hold it exactly). The label, a number either way,
 * then takes {@link com.creditrisk.binning.BinFeatures#label}'s numeric branch, as before. What
 * the conversion rejects (text, a timestamp, a boolean, digits of another script, a line of the
 * wrong width) and a column with no value at all make the caller read the file with inference
 * instead ({@link NotPlain}), so those keep their answer or error exactly.
 */
final class PlainNumbers {
  /** The line of a row with a cell the conversion rejected; null on every other row. */
  static final String UNPARSED = "__unparsed_line";

  private PlainNumbers() {}

  /** The rows hold something the plain read cannot vouch for; found in the first pass over them. */
  static final class NotPlain extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPlain(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * @param numeric the columns to read as doubles
   * @return the table with {@link #UNPARSED} last, or null when its header cannot be read (the read
   *     with inference reports why) or already names that column
   */
  static Dataset<Row> read(SparkSession spark, String path, List<String> numeric) {
    StructType header;
    try {
      header = spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").csv(path).schema();
    } catch (Exception e) {
      return null;
    }
    if (Arrays.asList(header.fieldNames()).contains(UNPARSED)) {
      return null;
    }
    StructType schema = new StructType();
    for (StructField f : header.fields()) {
      schema = schema.add(f.name(), numeric.contains(f.name()) ? DataTypes.DoubleType : DataTypes.StringType);
    }
    return spark.read().options(Csv.SPARK_OPTIONS).option("header", "true")
        .option("columnNameOfCorruptRecord", UNPARSED).schema(schema.add(UNPARSED, DataTypes.StringType)).csv(path);
  }

  /** The table's own columns, without {@link #UNPARSED}. */
  static StructType columns(StructType schema) {
    return new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(UNPARSED))
        .toArray(StructField[]::new));
  }

  /** Whether rows come from {@link #read}. */
  static boolean plain(StructType schema) {
    return Arrays.asList(schema.fieldNames()).contains(UNPARSED);
  }
}
