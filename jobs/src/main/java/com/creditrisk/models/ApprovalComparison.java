package com.creditrisk.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.creditrisk.errors.Errors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Two models as approval policies on the same loans of known outcome: each approves its safest
 * loans (lowest PD first) up to a share of them, and the two are compared by bads and realised
 * profit. Loans that share a PD are approved or declined together, so a policy approves at most
 * the share asked for. Exact arithmetic over the distinct PDs and their counts, on the driver.
 */
public final class ApprovalComparison {
  private ApprovalComparison() {}

  /**
   * Loans grouped by one model's PD, safest first.
   *
   * @param pd ascending distinct PDs
   * @param n loans per PD
   * @param bads bads per PD
   * @param profit realised profit of approving them, per PD
   */
  public record Groups(double[] pd, long[] n, long[] bads, double[] profit) {
    long total() {
      long t = 0;
      for (long x : n) {
        t += x;
      }
      return t;
    }
  }

  /** One policy's approvals: loans, bads and profit of the groups approved. */
  public record Approved(long loans, long bads, double profit) {
    double badRate() {
      return loans == 0 ? Double.NaN : (double) bads / loans;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("approved", loans);
      m.put("bads", bads);
      m.put("bad_rate", badRate());
      m.put("realised_profit", profit);
      return m;
    }
  }

  /**
   * @param loans the loans compared
   * @param approvalRate the share each policy approves at most
   * @param without the first model's approvals at that share
   * @param with the second model's approvals at that share
   * @param withAtSameBadRate the second model's largest approvals whose bad rate is at most the first's
   */
  public record Outcome(long loans, double approvalRate, Approved without, Approved with, Approved withAtSameBadRate) {
    /** Bads the second model avoids per 1,000 approvals at the same approval rate. */
    public double badsAvoidedPer1000Approvals() {
      return 1000.0 * (without.badRate() - with.badRate());
    }

    /** Loans the second model approves beyond the first per 1,000 loans, at the first's bad rate. */
    public double extraApprovalsPer1000() {
      return loans == 0 ? Double.NaN : 1000.0 * (withAtSameBadRate.loans() - without.loans()) / loans;
    }

    /** Realised profit the second model adds per 1,000 loans at the same approval rate. */
    public double profitGainPer1000() {
      return loans == 0 ? Double.NaN : 1000.0 * (with.profit() - without.profit()) / loans;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("approval_rate", approvalRate);
      m.put("loans", loans);
      m.put("without", without.toJson());
      m.put("with", with.toJson());
      m.put("bads_avoided_per_1000_approvals", badsAvoidedPer1000Approvals());
      m.put("with_at_the_same_bad_rate", withAtSameBadRate.toJson());
      m.put("extra_approvals_per_1000_applications", extraApprovalsPer1000());
      m.put("profit_gain_per_1000_applications", profitGainPer1000());
      return m;
    }
  }

  /**
   * Counts per distinct PD: one aggregation, its rows bounded by the distinct PDs of the model
   * (a scorecard's PDs are sums over bins). Beyond {@code maxGroups} it stops rather than bring an
   * unbounded list to the driver.
   */
  static Groups groups(Dataset<Row> scored, String pdCol, String labelCol, String profitCol, int maxGroups) {
    List<Row> rows = scored.where(col(pdCol).isNotNull()).groupBy(col(pdCol).as("pd"))
        .agg(count(lit(1)).as("n"), sum(col(labelCol)).cast("long").as("bads"), sum(col(profitCol)).as("profit"))
        .orderBy("pd").limit(maxGroups + 1).collectAsList();
    if (rows.size() > maxGroups) {
      throw Errors.unusableStageInput("compare approval policies", pdCol,
          "has more than validation.summary_max_groups = " + maxGroups + " distinct PDs; raise it");
    }
    int k = rows.size();
    double[] pd = new double[k];
    long[] n = new long[k];
    long[] bads = new long[k];
    double[] profit = new double[k];
    for (int i = 0; i < k; i++) {
      Row r = rows.get(i);
      pd[i] = r.getDouble(0);
      n[i] = r.getLong(1);
      bads[i] = r.getLong(2);
      profit[i] = r.getDouble(3);
    }
    return new Groups(pd, n, bads, profit);
  }

  /** Both policies at {@code approvalRate}, and the second at the first's bad rate. */
  public static Outcome compare(Groups without, Groups with, double approvalRate) {
    long loans = without.total();
    Approved a = atShare(without, approvalRate, loans);
    Approved b = atShare(with, approvalRate, loans);
    return new Outcome(loans, approvalRate, a, b, atBadRate(with, a.badRate()));
  }

  /** The safest groups whose loans add up to at most {@code share} of the loans. */
  static Approved atShare(Groups g, double share, long loans) {
    long limit = (long) Math.floor(share * loans + 1e-9);
    long n = 0;
    long bads = 0;
    double profit = 0;
    for (int i = 0; i < g.n().length && n + g.n()[i] <= limit; i++) {
      n += g.n()[i];
      bads += g.bads()[i];
      profit += g.profit()[i];
    }
    return new Approved(n, bads, profit);
  }

  /** The longest run of safest groups whose bad rate stays at most {@code badRate} (none when NaN). */
  static Approved atBadRate(Groups g, double badRate) {
    Approved best = new Approved(0, 0, 0);
    long n = 0;
    long bads = 0;
    double profit = 0;
    for (int i = 0; i < g.n().length; i++) {
      n += g.n()[i];
      bads += g.bads()[i];
      profit += g.profit()[i];
      // bads / n <= badRate, compared without division.
      if (!Double.isNaN(badRate) && bads <= badRate * n + 1e-9) {
        best = new Approved(n, bads, profit);
      }
    }
    return best;
  }
}
