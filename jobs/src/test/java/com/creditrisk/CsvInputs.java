package com.creditrisk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, valid set of the five input tables as CSV text, the way a lender would hand them over.
 * Tests change single lines to break one rule at a time. Answers for the valid set, as of
 * 2025-06-30 (window 6 months, bad at 30 DPD, max score age 45 days):
 * <ul>
 *   <li>A1 (C1): score 650 at application, loan L1 paid on time, window ends 2025-06-01: good.
 *   <li>A2 (C2): score 610, loan L2 never paid (due 2025-01-10): bad on 2025-02-09, mature.
 *   <li>A3 (C3): score 520 and rejected: status rejected, no label.
 *   <li>A4 (C1, repeat borrower): approved, no loan: not_disbursed.
 *   <li>A5 (C4): no snapshot; loan L5 disbursed 2025-05-01, first installment due 2025-06-01 paid:
 *       immature.
 *   <li>A6 (C2): application on 2025-07-05, after the as-of date: set aside.
 * </ul>
 */
public final class CsvInputs {
  public final Map<String, List<String>> tables = new LinkedHashMap<>();

  public CsvInputs() {
    tables.put("score_snapshots", new ArrayList<>(List.of(
        "customer_id,score_time,score,source",
        "C1,2024-11-20 10:00:00,650,bureau",
        "C2,2024-11-25 09:00:00,610,bureau",
        "C3,2024-11-25 09:00:00,520,bureau",
        "C1,2025-03-01 10:00:00,660,bureau",
        "C2,2025-07-01 09:00:00,600,bureau")));
    tables.put("applications", new ArrayList<>(List.of(
        "application_id,customer_id,application_time,product,channel,requested_amount,term_months,decision,loan_id,decision_score",
        "A1,C1,2024-12-01 12:00:00,paylater,app,300.0,3,approved,L1,650",
        "A2,C2,2024-12-10 12:00:00,cash_loan,web,1000.0,3,approved,L2,610",
        "A3,C3,2024-12-10 13:00:00,cash_loan,web,800.0,6,rejected,,520",
        "A4,C1,2025-03-20 08:00:00,paylater,app,200.0,3,approved,,660",
        "A5,C4,2025-05-01 08:00:00,paylater,partner,150.0,3,approved,L5,",
        "A6,C2,2025-07-05 08:00:00,paylater,app,150.0,3,approved,,600")));
    tables.put("loans", new ArrayList<>(List.of(
        "loan_id,application_id,disbursed_date,principal,annual_rate,term_months",
        "L1,A1,2024-12-01,300.0,0.2,3",
        "L2,A2,2024-12-10,1000.0,0.3,3",
        "L5,A5,2025-05-01,150.0,0.2,3")));
    tables.put("repayments", new ArrayList<>(List.of(
        "loan_id,installment_no,due_date,amount_due,amount_paid,paid_date",
        "L1,1,2025-01-01,100.0,100.0,2025-01-01",
        "L1,2,2025-02-01,100.0,100.0,2025-02-01",
        "L1,3,2025-03-01,100.0,100.0,2025-03-01",
        "L2,1,2025-01-10,340.0,0.0,",
        "L2,2,2025-02-10,340.0,0.0,",
        "L2,3,2025-03-10,340.0,0.0,",
        "L5,1,2025-06-01,51.0,51.0,2025-06-01",
        "L5,2,2025-07-01,51.0,51.0,2025-07-02",
        "L5,3,2025-08-01,51.0,0.0,")));
    tables.put("loan_events", new ArrayList<>(List.of(
        "loan_id,event_date,event_type",
        "L2,2025-06-10,charge_off")));
  }

  /** Replaces line {@code index} (0 = header) of a table. */
  public CsvInputs set(String table, int index, String line) {
    tables.get(table).set(index, line);
    return this;
  }

  public CsvInputs add(String table, String line) {
    tables.get(table).add(line);
    return this;
  }

  /** Writes the CSV files under dir and returns the --set arguments that point the jobs at them. */
  public List<String> write(Path dir) {
    List<String> args = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Map.Entry<String, List<String>> e : tables.entrySet()) {
        Path f = dir.resolve(e.getKey() + ".csv");
        Files.write(f, e.getValue(), StandardCharsets.UTF_8);
        args.add("--set");
        args.add("inputs." + e.getKey() + ".path=" + f.toAbsolutePath());
        args.add("--set");
        args.add("inputs." + e.getKey() + ".format=csv");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return args;
  }
}
