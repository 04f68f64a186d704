package com.creditrisk.binning;

import com.creditrisk.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Generated data for the binning tests. */
final class BinningFixtures {
  private BinningFixtures() {}

  static final StructType GENERATED = Rows.schema("id int", "score double", "util double", "age int",
      "months int", "grade string", "label int");

  /**
   * {@code n} seeded rows: score (skewed, rounded so values tie heavily, 3% missing, 4% special
   * -9 and 1% -8), util (uniform, decreasing risk), age (integer, few distinct values), months
   * (two values only), grade (string, A..F with F rare, 2% missing), and a label drawn from a
   * logistic model of score, util and grade, so every feature carries some signal.
   */
  static Dataset<Row> generated(long seed, int n) {
    Random r = new Random(seed);
    List<Object[]> rows = new ArrayList<>();
    String[] grades = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      Double score = u < 0.03 ? null : u < 0.07 ? -9.0 : u < 0.08 ? -8.0
          : (double) Math.round(Math.exp(r.nextGaussian() * 0.6) * 20);
      double util = Math.round(r.nextDouble() * 1000) / 1000.0;
      int age = 20 + r.nextInt(30);
      int months = r.nextDouble() < 0.7 ? 12 : 24;
      double g = r.nextDouble();
      String grade = g < 0.02 ? null : g < 0.03 ? "F" : grades[r.nextInt(grades.length)];
      double z = -1.0 + (score == null || score < 0 ? 0.5 : -0.03 * (score - 20)) + 1.2 * util
          + (grade == null ? 0 : 0.2 * (grade.charAt(0) - 'A')) - 0.01 * (age - 35);
      int label = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      rows.add(new Object[] {i, score, util, age, months, grade, label});
    }
    return Rows.df(GENERATED, rows.toArray(new Object[0][]));
  }
}
