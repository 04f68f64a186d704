package com.creditrisk;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Builders for hand-made fixtures with explicit schemas, and row lookups for assertions. */
public final class Rows {
  private Rows() {}

  /** A schema from "name type" pairs, e.g. schema("id string", "n int"); every column nullable. */
  public static StructType schema(String... columns) {
    List<StructField> fields = new ArrayList<>();
    for (String c : columns) {
      String[] p = c.trim().split("\\s+");
      fields.add(DataTypes.createStructField(p[0], type(p[1]), true));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType type(String t) {
    return switch (t) {
      case "string" -> DataTypes.StringType;
      case "int" -> DataTypes.IntegerType;
      case "long" -> DataTypes.LongType;
      case "double" -> DataTypes.DoubleType;
      case "timestamp" -> DataTypes.TimestampType;
      case "date" -> DataTypes.DateType;
      case "boolean" -> DataTypes.BooleanType;
      default -> throw new IllegalArgumentException("unknown type " + t);
    };
  }

  /** A DataFrame from rows given as Object arrays; strings in timestamp/date columns are parsed. */
  public static Dataset<Row> df(StructType schema, Object[]... rows) {
    List<Row> out = new ArrayList<>();
    for (Object[] r : rows) {
      Object[] v = new Object[r.length];
      for (int i = 0; i < r.length; i++) {
        DataType t = schema.fields()[i].dataType();
        if (r[i] instanceof String s && t.equals(DataTypes.TimestampType)) {
          v[i] = Timestamp.valueOf(s);
        } else if (r[i] instanceof String s && t.equals(DataTypes.DateType)) {
          v[i] = Date.valueOf(s);
        } else {
          v[i] = r[i];
        }
      }
      out.add(RowFactory.create(v));
    }
    return spark().createDataFrame(out, schema);
  }

  public static Object[] row(Object... values) {
    return values;
  }

  /** Collects a small result keyed by one column. */
  public static Map<String, Row> byKey(Dataset<Row> df, String key) {
    Map<String, Row> out = new LinkedHashMap<>();
    for (Row r : df.collectAsList()) {
      String k = String.valueOf(r.<Object>getAs(key));
      if (out.put(k, r) != null) {
        throw new AssertionError("duplicate key " + k + " in " + df.schema().simpleString());
      }
    }
    return out;
  }

  private static SparkSession spark() {
    return TestSpark.get();
  }
}
