#!/usr/bin/python3
"""Reference values of the validation pack, computed independently of the Java code.

Run with the Debian python (apt-get install -y python3-scipy python3-sklearn python3-numpy
python3-pandas), from the repository root:

    /usr/bin/python3 jobs/src/test/python/validation_reference.py [DATA_DIR]

DATA_DIR defaults to /work/shared/data. Writes jobs/src/test/resources/validation/reference.json,
which ValidationReferenceTest compares with to 1e-9 relative. CI does not run this script; it
reads the stored values.

Independent means: AUC from sklearn's roc_auc_score, KS from scipy.stats.ks_2samp, p-values from
scipy.stats (chi2.sf, beta.cdf, beta.ppf, norm), quantile cut points from numpy's inverted_cdf
percentile (= SQL percentile_disc), DeLong from the paper's placement values written here in
numpy (cross-checked against the O(m n) definition on a subsample). The cases:

- heloc: score ExternalRiskEstimate (rows with -9 left out, higher = safe), bad = RiskPerformance
  == "Bad"; PSI of rows with MSinceOldestTradeOpen >= 200 (current) against the rest (baseline);
  cutoffs for bad-rate targets 0.3 and 0.5; the paired DeLong test against
  PercentTradesNeverDelq (also higher = safe).
- islr: score balance (higher = risk), bad = default == "Yes"; PSI of students (current) against
  non-students (baseline); paired DeLong against income; cutoffs for targets 0.01 and 0.05.
- taiwan: a fixed-coefficient logistic PD (formula below, computed identically in the Java test);
  bad = Y. Brier, Hosmer-Lemeshow, Jeffreys per grade (default grades.pd_upper_bounds) and for the
  portfolio, Herfindahl; PSI per month with month = 2005-04/05/06 for ID % 3 = 0/1/2 against the
  first month.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_auc_score

DATA = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "validation", "reference.json")
GRADE_BOUNDS = [0.005, 0.01, 0.02, 0.04, 0.07, 0.10, 0.15, 0.22, 0.30]
# The Taiwan PD: 1 / (1 + exp(-z)), z = TAIWAN_Z (Spark SQL, D = double literals) with X6 the latest
# repayment status, X1 the credit limit and X5 the age. Coefficients from an unpenalised sklearn
# LogisticRegression on these terms, rounded; fixed here so Java computes the same PDs.
TAIWAN_Z = ("-1.236D + 0.2794D * least(X6, 2) - 0.2026D * X1 / 100000 + 0.009D * (X5 - 35)"
            " + 1.7247D * CASE WHEN X6 >= 2 THEN 1 ELSE 0 END")


def taiwan_pd(df):
    z = (-1.236 + 0.2794 * np.minimum(df["X6"], 2) - 0.2026 * df["X1"] / 100000 + 0.009 * (df["X5"] - 35)
         + 1.7247 * (df["X6"] >= 2))
    return 1 / (1 + np.exp(-z))


def placements(risk, y):
    """DeLong placement values: V10 for each bad, V01 for each good (ties count one half)."""
    bad = np.sort(risk[y == 1])
    good = np.sort(risk[y == 0])
    xb = risk[y == 1]
    xg = risk[y == 0]
    v10 = (np.searchsorted(good, xb, "left") + 0.5 * (np.searchsorted(good, xb, "right")
                                                       - np.searchsorted(good, xb, "left"))) / len(good)
    above = len(bad) - np.searchsorted(bad, xg, "right")
    ties = np.searchsorted(bad, xg, "right") - np.searchsorted(bad, xg, "left")
    v01 = (above + 0.5 * ties) / len(bad)
    return v10, v01


def brute_placements(risk, y):
    xb = risk[y == 1]
    xg = risk[y == 0]
    psi = (xb[:, None] > xg[None, :]) + 0.5 * (xb[:, None] == xg[None, :])
    return psi.mean(axis=1), psi.mean(axis=0)


def delong(risk, y):
    v10, v01 = placements(risk, y)
    m, n = len(v10), len(v01)
    auc = v10.mean()
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n
    return auc, math.sqrt(var)


def delong_paired(ra, rb, y):
    a10, a01 = placements(ra, y)
    b10, b01 = placements(rb, y)
    m, n = len(a10), len(a01)
    s10 = np.cov(np.vstack([a10, b10]), ddof=1)
    s01 = np.cov(np.vstack([a01, b01]), ddof=1)
    s = s10 / m + s01 / n
    diff = a10.mean() - b10.mean()
    se = math.sqrt(s[0, 0] + s[1, 1] - 2 * s[0, 1])
    z = diff / se
    return {"auc_a": a10.mean(), "auc_b": b10.mean(), "difference": diff, "se": se, "z": z,
            "p_value": 2 * stats.norm.sf(abs(z))}


def ks(risk, y):
    stat = stats.ks_2samp(risk[y == 1], risk[y == 0]).statistic
    values = np.unique(risk)
    fb = np.searchsorted(np.sort(risk[y == 1]), values, "right") / (y == 1).sum()
    fg = np.searchsorted(np.sort(risk[y == 0]), values, "right") / (y == 0).sum()
    d = np.abs(fb - fg)
    assert abs(d.max() - stat) < 1e-12, (d.max(), stat)
    return stat, float(values[np.argmax(d)])


def cuts(x, bins):
    """x_(ceil(k n / G)), k = 1..G-1, by numpy's inverted_cdf (the same order statistic); duplicates merged."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    c = np.percentile(x, [100.0 * k / bins for k in range(1, bins)], method="inverted_cdf")
    s = np.sort(x)
    by_rank = np.array([s[-(-k * n // bins) - 1] for k in range(1, bins)])
    assert np.array_equal(c, by_rank), (c, by_rank)
    return np.unique(c)


def bin_of(x, c):
    """Right-closed bins: index i when c[i-1] < x <= c[i]."""
    return np.searchsorted(c, np.asarray(x, dtype=float), "left")


def psi(base, cur, bins=10):
    c = cuts(base, bins)
    e = np.bincount(bin_of(base, c), minlength=len(c) + 1) / len(base)
    a = np.bincount(bin_of(cur, c), minlength=len(c) + 1) / len(cur)
    e = np.where(e == 0, 1e-4, e)
    a = np.where(a == 0, 1e-4, a)
    return float(np.sum((a - e) * np.log(a / e)))


def hosmer_lemeshow(p, y, bins=10):
    c = cuts(p, bins)
    b = bin_of(p, c)
    chi2 = 0.0
    nonempty = 0
    for k in range(len(c) + 1):
        sel = b == k
        ng = sel.sum()
        if ng == 0:
            continue
        nonempty += 1
        o = y[sel].sum()
        e = p[sel].sum()
        if 0 < e / ng < 1:
            chi2 += (o - e) ** 2 / (e * (1 - e / ng))
    df = nonempty - 2
    return {"chi2": chi2, "df": df, "p_value": float(stats.chi2.sf(chi2, df)) if df > 0 else None,
            "p_value_oos": float(stats.chi2.sf(chi2, nonempty))}


def jeffreys(p, y):
    n, d = len(y), int(y.sum())
    mean = float(p.mean())
    a, b = d + 0.5, n - d + 0.5
    return {"n": n, "defaults": d, "mean_pd": mean, "p_value": float(stats.beta.cdf(mean, a, b)),
            "lower95": float(stats.beta.ppf(0.025, a, b)), "upper95": float(stats.beta.ppf(0.975, a, b))}


def rank_ordering(score, y, higher_is_safe, bins=10):
    c = cuts(score, bins)
    b = bin_of(score, c)
    rates = [y[b == k].mean() for k in range(len(c) + 1) if (b == k).any()]
    if not higher_is_safe:
        rates = rates[::-1]
    breaks = [i + 1 for i in range(1, len(rates)) if rates[i] > rates[i - 1]]
    return {"bad_rates": rates, "break_ranks": breaks}


def cutoffs(score, y, higher_is_safe, targets):
    order = np.argsort(-score if higher_is_safe else score, kind="stable")
    s, yy = score[order], y[order]
    values, first = np.unique(-s if higher_is_safe else s, return_index=True)
    # Rows approved at each distinct score: everything up to the last row with that score.
    last = np.append(first[1:], len(s)) - 1
    approved = last + 1
    bads = np.cumsum(yy)[last]
    out = []
    for t in targets:
        ok = np.nonzero(bads / approved <= t)[0]
        upper = stats.beta.ppf(0.95, bads + 0.5, approved - bads + 0.5)
        okc = np.nonzero(upper <= t)[0]
        i = ok[-1] if len(ok) else None
        ic = okc[-1] if len(okc) else None
        out.append({"target_bad_rate": t,
                    "cutoff": None if i is None else float(s[last[i]]),
                    "approval_rate": None if i is None else float(approved[i] / len(s)),
                    "bad_rate": None if i is None else float(bads[i] / approved[i]),
                    "cutoff_conservative": None if ic is None else float(s[last[ic]])})
    return out


def discrimination(score, y, higher_is_safe):
    risk = -score if higher_is_safe else score
    auc = roc_auc_score(y, risk)
    auc_d, se = delong(risk, y)
    assert abs(auc - auc_d) < 1e-12, (auc, auc_d)
    rng = np.random.default_rng(1)
    sub = rng.choice(len(y), size=min(len(y), 1500), replace=False)
    v10, v01 = placements(risk[sub], y[sub])
    b10, b01 = brute_placements(risk[sub], y[sub])
    assert np.allclose(v10, b10, rtol=0, atol=1e-12) and np.allclose(v01, b01, rtol=0, atol=1e-12)
    z = stats.norm.ppf(0.975)
    stat, at = ks(risk, y)
    return {"n": int(len(y)), "n_bad": int(y.sum()), "auc": auc, "auc_se": se,
            "auc_ci95": [max(0.0, auc - z * se), min(1.0, auc + z * se)], "gini": 2 * auc - 1,
            "ks": stat, "ks_score": -at if higher_is_safe else at}


def main():
    ref = {}
    h = pd.read_csv(os.path.join(DATA, "heloc_dataset_v1.csv"))
    h = h[h["ExternalRiskEstimate"] != -9]
    y = (h["RiskPerformance"] == "Bad").to_numpy().astype(int)
    s = h["ExternalRiskEstimate"].to_numpy().astype(float)
    cur = (h["MSinceOldestTradeOpen"] >= 200).to_numpy()
    other = h["PercentTradesNeverDelq"].to_numpy().astype(float)
    ref["heloc"] = {**discrimination(s, y, True), "psi": psi(s[~cur], s[cur]),
                    "rank_ordering": rank_ordering(s, y, True),
                    "cutoffs": cutoffs(s, y, True, [0.3, 0.5]),
                    "paired": delong_paired(-s, -other, y)}

    d = pd.read_csv(os.path.join(DATA, "islr_default.csv"))
    y = (d["default"] == "Yes").to_numpy().astype(int)
    s = d["balance"].to_numpy().astype(float)
    student = (d["student"] == "Yes").to_numpy()
    ref["islr"] = {**discrimination(s, y, False), "psi": psi(s[~student], s[student]),
                   "rank_ordering": rank_ordering(s, y, False),
                   "cutoffs": cutoffs(s, y, False, [0.01, 0.05]),
                   "paired": delong_paired(s, d["income"].to_numpy().astype(float), y)}

    t = pd.read_csv(os.path.join(DATA, "taiwan_uci_credit_card.csv"))
    p = taiwan_pd(t).to_numpy()
    y = t["Y"].to_numpy().astype(int)
    grade = np.searchsorted(np.array(GRADE_BOUNDS), p, "left") + 1  # first grade whose bound is >= pd
    grades = {}
    for g in sorted(set(grade)):
        grades[str(g)] = jeffreys(p[grade == g], y[grade == g])
    shares = np.bincount(grade)[1:] / len(grade)
    month = np.array(["2005-04", "2005-05", "2005-06"])[t["ID"].to_numpy() % 3]
    first = p[month == "2005-04"]
    ref["taiwan"] = {**discrimination(p, y, False), "z": TAIWAN_Z, "brier": float(np.mean((p - y) ** 2)),
                     "hosmer_lemeshow": hosmer_lemeshow(p, y), "jeffreys_portfolio": jeffreys(p, y),
                     "jeffreys_grades": grades, "herfindahl": float(np.sum(shares ** 2)),
                     "psi_by_month": {m: psi(first, p[month == m]) for m in ["2005-05", "2005-06"]},
                     "rank_ordering": rank_ordering(p, y, False)}
    with open(OUT, "w") as f:
        json.dump(ref, f, indent=1, sort_keys=True, default=float)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
