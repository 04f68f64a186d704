package com.creditrisk.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * The DeLong sums of squares of a piece are exact whatever their size: terms that fit in 128 bits
 * are summed in two longs (and carried into a BigInteger past 2^124), larger ones as BigIntegers.
 * Worked by the definition: x = 2 goods before + goods here, bads' sum of x^2 bads; y = 2 bads after
 * + bads here, goods' sum of y^2 goods.
 */
class SquareSumsTest {
  @Test
  void sumsOfSquaresAreExactAcrossTheLongAndBigIntegerPaths() {
    long[] bads = {0, 1L << 61, 5};
    long[] goods = {1_500_000_000L, 1, 100_000_000L};
    long totalBads = bads[0] + bads[1] + bads[2];
    long totalGoods = goods[0] + goods[1] + goods[2];
    BigInteger badSquares = BigInteger.ZERO;
    BigInteger goodSquares = BigInteger.ZERO;
    long cumBads = 0;
    long cumGoods = 0;
    for (int i = 0; i < 3; i++) {
      BigInteger x = BigInteger.valueOf(2 * cumGoods + goods[i]);
      BigInteger y = BigInteger.valueOf(2 * (totalBads - cumBads) - bads[i]);
      badSquares = badSquares.add(x.pow(2).multiply(BigInteger.valueOf(bads[i])));
      goodSquares = goodSquares.add(y.pow(2).multiply(BigInteger.valueOf(goods[i])));
      cumBads += bads[i];
      cumGoods += goods[i];
    }
    // The middle group's x is 3,000,000,001 (its square fits a long, times 2^61 it passes 2^124);
    // the last one's is past the square that fits a long.
    assertEquals(3_000_000_001L, 2 * goods[0] + goods[1]);
    List<Row> rows = List.of(RowFactory.create(0.1, bads[0], goods[0]), RowFactory.create(0.2, bads[1], goods[1]),
        RowFactory.create(0.3, bads[2], goods[2]));
    Discrimination.Piece p = Discrimination.piece(rows.iterator(), 0, 0, totalBads, totalGoods, 0);
    assertEquals(badSquares, p.badSquares());
    assertEquals(goodSquares, p.goodSquares());
  }
}
