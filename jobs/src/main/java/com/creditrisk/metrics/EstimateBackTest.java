package com.creditrisk.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * How far estimates made before the labels matured (e.g. {@link ExpectedPerformance}'s expected
 * AUC or bad rate of a month) were from the values those labels realised once mature: the error
 * per month and its summary. Pure: the caller pairs each month's estimate, as recorded then, with
 * its realised value now.
 */
public final class EstimateBackTest {
  private EstimateBackTest() {}

  /**
   * One past month.
   *
   * @param month the month, e.g. yyyy-MM
   * @param estimated the estimate made at the time
   * @param estimateSe its standard error then, or NaN when unknown
   * @param realised the value realised now; NaN while it cannot be measured
   */
  public record Month(String month, double estimated, double estimateSe, double realised) {}

  /**
   * @param error realised - estimated (positive: the estimate was too low); NaN when either is NaN
   * @param z error / estimateSe: how many standard errors the estimate missed by; NaN without an SE
   */
  public record MonthError(String month, double estimated, double realised, double error, double z) {}

  /**
   * @param months one error per month, in the order given
   * @param compared months with both values, which the summary is over
   * @param meanAbsoluteError mean |error|; NaN when no month is compared
   * @param meanError mean error: a systematic over- or underestimate; NaN likewise
   * @param maxAbsoluteError the largest |error|; NaN likewise
   */
  public record Result(List<MonthError> months, int compared, double meanAbsoluteError, double meanError,
      double maxAbsoluteError) {}

  public static Result of(List<Month> months) {
    List<MonthError> out = new ArrayList<>(months.size());
    int compared = 0;
    double sumAbs = 0;
    double sum = 0;
    double max = Double.NaN;
    for (Month m : months) {
      double error = m.realised() - m.estimated();
      double z = m.estimateSe() > 0 ? error / m.estimateSe() : Double.NaN;
      out.add(new MonthError(m.month(), m.estimated(), m.realised(), error, z));
      if (!Double.isNaN(error)) {
        compared++;
        sumAbs += Math.abs(error);
        sum += error;
        max = Double.isNaN(max) ? Math.abs(error) : Math.max(max, Math.abs(error));
      }
    }
    return new Result(List.copyOf(out), compared, compared == 0 ? Double.NaN : sumAbs / compared,
        compared == 0 ? Double.NaN : sum / compared, max);
  }
}
