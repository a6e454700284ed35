package dev.refinery.mixing.plan;

import dev.refinery.mixing.spec.CellTarget;
import dev.refinery.mixing.spec.Method;
import dev.refinery.mixing.spec.MixtureSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the cells' sizes and the spec into per-cell targets and a sampling plan (plain Java, no Spark).
 * Targets are in tokens: shares of the budget, temperature-scaled natural shares, or UniMax. A target above
 * available tokens x max-epochs is infeasible: the cell gives what the cap allows and the reason is kept.
 */
public final class MixturePlanner {
  /** Hash buckets per cell; the granularity of down-sampling is 1/BUCKETS of a cell's tokens at worst. */
  public static final int BUCKETS = 4096;
  /** Bits to shift a 64-bit hash right to get its bucket. */
  public static final int BUCKET_SHIFT = 64 - Integer.numberOfTrailingZeros(BUCKETS);

  private final MixtureSpec spec;

  public MixturePlanner(MixtureSpec spec) {
    this.spec = spec;
  }

  public MixturePlan plan(List<CellStats> cells) {
    return switch (spec.method()) {
      case SHARES -> planShares(cells);
      case TEMPERATURE -> planTemperature(cells);
      case UNIMAX -> planUnimax(cells);
    };
  }

  private MixturePlan planShares(List<CellStats> cells) {
    Map<List<String>, CellStats> byCell = new HashMap<>();
    cells.forEach(c -> byCell.put(c.cell(), c));
    long budget = spec.budgetTokens();
    if (budget == 0) {
      for (CellTarget t : spec.shares()) {
        CellStats s = byCell.get(t.cell());
        budget += s == null ? 0 : s.tokens();
      }
    }
    List<CellPlan> out = new ArrayList<>();
    for (CellTarget t : spec.shares()) {
      CellStats s = byCell.getOrDefault(t.cell(), new CellStats(t.cell(), 0, 0, new long[BUCKETS]));
      out.add(cellPlan(s, t.share(), t.share() * budget));
    }
    for (CellStats s : cells) {
      if (spec.shares().stream().noneMatch(t -> t.cell().equals(s.cell()))) {
        out.add(new CellPlan(s.cell(), s.docs(), s.tokens(), 0, 0, 0, 0, 0, true, "no target for this cell"));
      }
    }
    return new MixturePlan(out, budget, shortfall(out, budget));
  }

  private MixturePlan planTemperature(List<CellStats> cells) {
    long budget = spec.budgetTokens() == 0 ? cells.stream().mapToLong(CellStats::tokens).sum() : spec.budgetTokens();
    double norm = cells.stream().mapToDouble(c -> Math.pow(c.tokens(), 1.0 / spec.temperature())).sum();
    List<CellPlan> out = new ArrayList<>();
    for (CellStats c : cells) {
      double share = norm == 0 ? 0 : Math.pow(c.tokens(), 1.0 / spec.temperature()) / norm;
      out.add(cellPlan(c, share, share * budget));
    }
    return new MixturePlan(out, budget, shortfall(out, budget));
  }

  /** UniMax: visit cells from smallest to largest, giving each min(equal split of what is left, cap). */
  private MixturePlan planUnimax(List<CellStats> cells) {
    long budget = spec.budgetTokens() == 0 ? cells.stream().mapToLong(CellStats::tokens).sum() : spec.budgetTokens();
    List<CellStats> sorted = new ArrayList<>(cells);
    sorted.sort(Comparator.comparingLong(CellStats::tokens).thenComparing(c -> String.join("\u0000", c.cell())));
    double remaining = budget;
    List<CellPlan> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      CellStats c = sorted.get(i);
      double even = remaining / (sorted.size() - i);
      double target = Math.min(even, c.tokens() * spec.maxEpochs());
      remaining -= target;
      out.add(cellPlan(c, budget == 0 ? 0 : target / budget, target));
    }
    return new MixturePlan(out, budget, shortfall(out, budget));
  }

  private CellPlan cellPlan(CellStats c, double share, double target) {
    if (target <= 0) {
      return new CellPlan(c.cell(), c.docs(), c.tokens(), share, target, 0, 0, 0, true, null);
    }
    double cap = c.tokens() * spec.maxEpochs();
    String reason = null;
    double take = target;
    if (c.tokens() == 0) {
      reason = "no documents in this cell";
      take = 0;
    } else if (target > cap) {
      reason = String.format(Locale.ROOT,
          "needs %.0f tokens but has %d; max-epochs %.2f allows %.0f (%.2f epochs would be needed)",
          target, c.tokens(), spec.maxEpochs(), cap, target / c.tokens());
      take = cap;
    }
    int full = c.tokens() == 0 ? 0 : (int) Math.floor(take / c.tokens());
    double partial = take - (double) full * c.tokens();
    int cutoff = closestCutoff(c.bucketTokens(), partial);
    long planned = (long) full * c.tokens() + prefix(c.bucketTokens(), cutoff);
    return new CellPlan(c.cell(), c.docs(), c.tokens(), share, target, full, cutoff, planned, reason == null, reason);
  }

  /** The bucket count whose token prefix sum is closest to {@code want}. */
  static int closestCutoff(long[] buckets, double want) {
    long sum = 0;
    for (int b = 0; b < buckets.length; b++) {
      long next = sum + buckets[b];
      if (next >= want) {
        return (want - sum) <= (next - want) ? b : b + 1;
      }
      sum = next;
    }
    return buckets.length;
  }

  private static long prefix(long[] buckets, int cutoff) {
    long s = 0;
    for (int b = 0; b < cutoff; b++) {
      s += buckets[b];
    }
    return s;
  }

  private String shortfall(List<CellPlan> plans, long budget) {
    long planned = plans.stream().mapToLong(CellPlan::plannedTokens).sum();
    long infeasible = plans.stream().filter(p -> !p.feasible()).count();
    if (infeasible > 0) {
      return String.format(Locale.ROOT, "%d cell(s) cannot reach their target; the mixture has %d of %d budget tokens",
          infeasible, planned, budget);
    }
    if (spec.method() == Method.UNIMAX && planned < budget * 0.99) {
      return String.format(Locale.ROOT,
          "every cell is at max-epochs %.2f; the mixture has %d of %d budget tokens", spec.maxEpochs(), planned, budget);
    }
    return null;
  }
}
