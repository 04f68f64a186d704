package com.creditrisk.cutoffs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Column;

/**
 * The economics of approving one loan (calibrate.economics, per product with a default): its
 * expected profit given a probability of default, the one formula behind the strategy curve and
 * the value of a feature source.
 */
public final class LoanEconomics {
  private LoanEconomics() {}

  /**
   * (1 - p) margin_rate x - p lgd x - unit_cost, with the economics of the row's {@code product}
   * and x its {@code requested_amount}.
   *
   * @param p the probability of default: a PD, or the observed 0/1 outcome for a realised profit
   */
  public static Column profit(CalibrateConfig cc, Column p) {
    Column x = col("requested_amount").cast("double");
    return lit(1).minus(p).multiply(of(cc, CalibrateConfig.Economics::marginRate)).multiply(x)
        .minus(p.multiply(of(cc, CalibrateConfig.Economics::lgd)).multiply(x))
        .minus(of(cc, CalibrateConfig.Economics::unitCost));
  }

  /** The expected loss p lgd x of the row's product and amount. */
  public static Column loss(CalibrateConfig cc, Column p) {
    return p.multiply(of(cc, CalibrateConfig.Economics::lgd)).multiply(col("requested_amount").cast("double"));
  }

  /** One economics figure of the row's product, the default's for a product without its own. */
  private static Column of(CalibrateConfig cc, ToDoubleFunction<CalibrateConfig.Economics> f) {
    Column v = lit(f.applyAsDouble(cc.economicsOf("default")));
    for (Map.Entry<String, CalibrateConfig.Economics> e : cc.economics().entrySet()) {
      if (!e.getKey().equals("default")) {
        v = when(col("product").equalTo(e.getKey()), lit(f.applyAsDouble(e.getValue()))).otherwise(v);
      }
    }
    return v;
  }
}
