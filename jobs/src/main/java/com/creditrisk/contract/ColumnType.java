package com.creditrisk.contract;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Contract column types; CSV cells are parsed into these with the formats of the contract. */
public enum ColumnType {
  STRING("string", DataTypes.StringType),
  INT("int", DataTypes.IntegerType),
  DOUBLE("double", DataTypes.DoubleType),
  /** {@code yyyy-MM-dd HH:mm:ss} in CSV. */
  TIMESTAMP("timestamp", DataTypes.TimestampType),
  /** {@code yyyy-MM-dd} in CSV. */
  DATE("date", DataTypes.DateType);

  private final String label;
  private final DataType sparkType;

  ColumnType(String label, DataType sparkType) {
    this.label = label;
    this.sparkType = sparkType;
  }

  public String label() {
    return label;
  }

  /** The Spark type a parsed cell of this type has. */
  public DataType sparkType() {
    return sparkType;
  }
}
