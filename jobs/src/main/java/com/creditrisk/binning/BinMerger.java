package com.creditrisk.binning;

import com.creditrisk.binning.WoeBin.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * The driver side of fitting: turns one feature's fine bins (a few dozen rows) into its final
 * bins. Numeric: pool adjacent fine bins until the bad rate is strictly monotone, then merge bins
 * below the minimum share into the neighbour with the closest bad rate. Categorical: rare
 * categories go to "other". Missing and each special value keep their own bins.
 */
final class BinMerger {
  private BinMerger() {}

  /** A mutable group of training rows: counts, value range and categories. */
  static final class Group {
    long count;
    long bads;
    Double min;
    Double max;
    final List<String> levels = new ArrayList<>();

    Group(long count, long bads, Double min, Double max) {
      this.count = count;
      this.bads = bads;
      this.min = min;
      this.max = max;
    }

    double rate() {
      return count == 0 ? 0.0 : (double) bads / count;
    }

    void absorb(Group o) {
      count += o.count;
      bads += o.bads;
      min = min == null ? o.min : o.min == null ? min : Double.valueOf(Math.min(min, o.min));
      max = max == null ? o.max : o.max == null ? max : Double.valueOf(Math.max(max, o.max));
      levels.addAll(o.levels);
    }
  }

  /** Compares bads1/count1 with bads2/count2 exactly (128-bit cross products). */
  static int compareRates(Group a, Group b) {
    long hi1 = Math.multiplyHigh(a.bads, b.count);
    long lo1 = a.bads * b.count;
    long hi2 = Math.multiplyHigh(b.bads, a.count);
    long lo2 = b.bads * a.count;
    return hi1 != hi2 ? Long.compare(hi1, hi2) : Long.compareUnsigned(lo1, lo2);
  }

  /** "ascending" or "descending": the sign of the count-weighted correlation of bin index and bad rate. */
  static String detectDirection(List<Group> fine) {
    double n = 0;
    double sx = 0;
    double sr = 0;
    for (int i = 0; i < fine.size(); i++) {
      Group g = fine.get(i);
      n += g.count;
      sx += g.count * (double) i;
      sr += g.bads;
    }
    double mx = sx / n;
    double mr = sr / n;
    double cov = 0;
    for (int i = 0; i < fine.size(); i++) {
      Group g = fine.get(i);
      cov += g.count * (i - mx) * (g.rate() - mr);
    }
    return cov < 0 ? "descending" : "ascending";
  }

  /**
   * Pool adjacent violators: merges neighbours until the bad rate is strictly increasing
   * ("ascending") or strictly decreasing ("descending") across the list; "none" leaves it.
   */
  static List<Group> monotone(List<Group> fine, String direction) {
    if (direction.equals("none") || fine.size() < 2) {
      return new ArrayList<>(fine);
    }
    String dir = direction.equals("auto") ? detectDirection(fine) : direction;
    int sign = dir.equals("ascending") ? 1 : -1;
    List<Group> stack = new ArrayList<>();
    for (Group g : fine) {
      stack.add(g);
      while (stack.size() >= 2
          && sign * compareRates(stack.get(stack.size() - 2), stack.get(stack.size() - 1)) >= 0) {
        Group top = stack.remove(stack.size() - 1);
        stack.get(stack.size() - 1).absorb(top);
      }
    }
    return stack;
  }

  /**
   * Merges the smallest bin below {@code minShare * total} rows into the adjacent bin whose bad
   * rate is closest (the lower neighbour on a tie), until every bin passes or one is left. Merging
   * neighbours keeps a strictly monotone list strictly monotone.
   */
  static List<Group> enforceMinShare(List<Group> bins, long total, double minShare) {
    List<Group> out = new ArrayList<>(bins);
    double floor = minShare * total;
    while (out.size() > 1) {
      int small = -1;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i).count < floor && (small < 0 || out.get(i).count < out.get(small).count)) {
          small = i;
        }
      }
      if (small < 0) {
        break;
      }
      int into;
      if (small == 0) {
        into = 1;
      } else if (small == out.size() - 1) {
        into = small - 1;
      } else {
        double r = out.get(small).rate();
        double left = Math.abs(out.get(small - 1).rate() - r);
        double right = Math.abs(out.get(small + 1).rate() - r);
        into = right < left ? small + 1 : small - 1;
      }
      int lo = Math.min(small, into);
      out.get(lo).absorb(out.get(lo + 1));
      out.remove(lo + 1);
    }
    return out;
  }

  /** The final bins of one feature from its collected fine-bin rows, without WoE yet. */
  static List<Draft> feature(List<FineBins.Row4> rows, boolean categorical, String direction,
      double minBinShare, double rareLevelShare) {
    long total = 0;
    Group missing = null;
    TreeMap<Double, Group> specials = new TreeMap<>();
    TreeMap<Long, Group> fine = new TreeMap<>();
    TreeMap<String, Group> levels = new TreeMap<>();
    for (FineBins.Row4 r : rows) {
      if (r.count() == 0) {
        continue; // values seen only with a null label
      }
      total += r.count();
      Group g = new Group(r.count(), r.bads(), r.min(), r.max());
      switch (r.kind()) {
        case FineBins.MISSING -> missing = g;
        case FineBins.SPECIAL -> specials.put(r.special(), g);
        case FineBins.RANGE -> fine.put(r.fine(), g);
        default -> {
          g.levels.add(r.level());
          levels.put(r.level(), g);
        }
      }
    }
    List<Draft> out = new ArrayList<>();
    if (missing != null) {
      out.add(new Draft(Kind.MISSING, missing, null, null, null));
    }
    specials.forEach((v, g) -> out.add(new Draft(Kind.SPECIAL, g, null, null, v)));
    if (categorical) {
      Group other = null;
      for (Group g : levels.values()) {
        if (g.count < rareLevelShare * total) {
          if (other == null) {
            other = new Group(0, 0, null, null);
          }
          other.absorb(g);
        } else {
          out.add(new Draft(Kind.LEVELS, g, null, null, null));
        }
      }
      if (other != null) {
        out.add(new Draft(Kind.OTHER, other, null, null, null));
      }
    } else if (!fine.isEmpty()) {
      List<Group> merged = enforceMinShare(monotone(new ArrayList<>(fine.values()), direction), total, minBinShare);
      for (int i = 0; i < merged.size(); i++) {
        Double lower = i == 0 ? null : merged.get(i - 1).max;
        Double upper = i == merged.size() - 1 ? null : merged.get(i).max;
        out.add(new Draft(Kind.RANGE, merged.get(i), lower, upper, null));
      }
    }
    return out;
  }

  /** A final bin before WoE: kind, rows, edges or special value. */
  record Draft(Kind kind, Group group, Double lower, Double upper, Double special) {}

  /**
   * Adds WoE and IV per DESIGN: shares over all of the feature's labelled rows; a bin with no
   * goods or no bads gets 0.5 added to both counts (totals unchanged).
   */
  static List<WoeBin> withWoe(String feature, List<Draft> drafts) {
    long goodTotal = 0;
    long badTotal = 0;
    for (Draft d : drafts) {
      goodTotal += d.group().count - d.group().bads;
      badTotal += d.group().bads;
    }
    List<WoeBin> out = new ArrayList<>();
    for (Draft d : drafts) {
      Group g = d.group();
      long goods = g.count - g.bads;
      double adj = goods == 0 || g.bads == 0 ? 0.5 : 0.0;
      double shareGood = (goods + adj) / goodTotal;
      double shareBad = (g.bads + adj) / badTotal;
      double woe = Math.log(shareGood / shareBad);
      List<String> lv = new ArrayList<>(d.kind() == Kind.OTHER ? List.of() : g.levels);
      lv.sort(Comparator.naturalOrder());
      out.add(new WoeBin(feature, out.size(), d.kind(), d.lower(), d.upper(), lv, g.levels.size(), d.special(), g.count,
          goods, g.bads, g.rate(), woe, (shareGood - shareBad) * woe));
    }
    return out;
  }
}
