#!/usr/bin/python3
"""Realistic single-file data for bench/single_file.sh (issue 16), seeded, written in chunks so that
any size streams in bounded memory.

  realistic_data.py model ROWS OUT.csv [SEED]   the modelling CSV: 22 features and the label `bad`
  realistic_data.py scores ROWS OUT.csv [SEED]  a scored table: `pd` (full-precision PD) and `bad`

The modelling CSV is shaped like the files data scientists bring, unlike bench/BinData.java's
mostly-integer columns: 19 full-precision doubles written the way pandas writes them (shortest
repr, 15-17 significant digits, about one distinct value per row), several heavily skewed
(log-normal income and balances); 2-8% empty cells in some columns and -9 codes in about 5% of the
rows of others; one integer score column; two string columns of 5 and 25 levels; `bad` is 0/1 with
a bad rate of about 8%, drawn from a logistic model of several features so the binning has signal.
Empty cells are NaN in pandas and nulls for Spark's CSV reader. Full-precision doubles take about
19 bytes a cell, so 1M rows are about 330 MB (the issue's "113 MB" fits shorter cells).
"""
import sys

import numpy as np
import pandas as pd

CHUNK = 500_000
REGIONS = ["north", "south", "east", "west", "centre"]
SECTORS = [f"sector_{i:02d}" for i in range(25)]


def model_chunk(rng, n):
    income = rng.lognormal(10.5, 0.7, n)
    balance = rng.lognormal(8.0, 1.5, n)
    revolving = rng.lognormal(7.0, 1.8, n)
    utilisation = rng.beta(2.0, 5.0, n)
    dti = rng.gamma(2.0, 0.15, n)
    age = rng.normal(42.0, 12.0, n).clip(18, 90) + rng.random(n)
    tenure = rng.exponential(6.0, n)
    months_since_delinq = rng.exponential(30.0, n)
    inquiries_rate = rng.exponential(0.5, n)
    payment_ratio = rng.beta(5.0, 2.0, n)
    limit = rng.lognormal(9.0, 1.0, n)
    savings = rng.lognormal(7.5, 2.0, n)
    loan_amount = rng.lognormal(9.3, 0.8, n)
    term_ratio = rng.uniform(0.0, 1.0, n)
    ext1 = rng.normal(0.0, 1.0, n)
    ext2 = rng.normal(0.0, 1.0, n)
    ext3 = rng.standard_t(5, n)
    cash_flow = rng.normal(500.0, 2000.0, n)
    arrears_amount = rng.lognormal(5.0, 2.2, n)
    bureau_score = rng.integers(300, 851, n)
    region = rng.choice(REGIONS, n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    sector = rng.choice(SECTORS, n)
    logit = (-2.9 - 0.6 * (np.log(income) - 10.5) + 1.6 * (utilisation - 0.28) + 0.9 * (dti - 0.3)
             - 0.004 * (bureau_score - 575) + 0.35 * ext1 - 0.2 * ext2 - 0.015 * (age - 42)
             + 0.25 * (region == "west"))
    bad = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    df = pd.DataFrame({
        "income": income, "balance": balance, "revolving_balance": revolving, "utilisation": utilisation,
        "debt_to_income": dti, "age": age, "tenure_years": tenure, "months_since_delinquency": months_since_delinq,
        "inquiries_rate": inquiries_rate, "payment_ratio": payment_ratio, "credit_limit": limit,
        "savings": savings, "loan_amount": loan_amount, "term_ratio": term_ratio, "external_1": ext1,
        "external_2": ext2, "external_3": ext3, "cash_flow": cash_flow, "arrears_amount": arrears_amount,
        "bureau_score": bureau_score, "region": region, "sector": sector, "bad": bad})
    # Empty cells (2-8%) in some columns, -9 codes in about 5% of the rows of others.
    for col, share in [("income", 0.02), ("savings", 0.08), ("months_since_delinquency", 0.06),
                       ("external_3", 0.04), ("credit_limit", 0.03)]:
        df.loc[rng.random(n) < share, col] = np.nan
    for col in ["utilisation", "debt_to_income", "payment_ratio", "arrears_amount"]:
        df.loc[rng.random(n) < 0.05, col] = -9.0
    return df


def scores_chunk(rng, n):
    z = rng.normal(0.0, 1.0, n)
    pd_ = 1.0 / (1.0 + np.exp(-(-2.6 + 0.9 * z)))
    bad = (rng.random(n) < 1.0 / (1.0 + np.exp(-(-2.6 + 1.1 * z)))).astype(np.int64)
    return pd.DataFrame({"pd": pd_, "bad": bad})


def main():
    kind, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    chunk = {"model": model_chunk, "scores": scores_chunk}[kind]
    with open(out, "w", newline="") as f:
        for i, start in enumerate(range(0, rows, CHUNK)):
            rng = np.random.default_rng([seed, i])   # one stream per chunk: the same rows for any CHUNK count
            chunk(rng, min(CHUNK, rows - start)).to_csv(f, index=False, header=(i == 0), lineterminator="\n")


if __name__ == "__main__":
    main()
