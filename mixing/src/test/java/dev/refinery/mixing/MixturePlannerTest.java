package dev.refinery.mixing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.mixing.plan.CellPlan;
import dev.refinery.mixing.plan.CellStats;
import dev.refinery.mixing.plan.MixturePlan;
import dev.refinery.mixing.plan.MixturePlanner;
import dev.refinery.mixing.spec.CellTarget;
import dev.refinery.mixing.spec.Method;
import dev.refinery.mixing.spec.MixtureSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MixturePlannerTest {
  /** A cell of {@code docs} documents of {@code tokensEach} tokens, one document per bucket. */
  private static CellStats cell(String domain, int docs, long tokensEach) {
    long[] b = new long[MixturePlanner.BUCKETS];
    for (int i = 0; i < docs; i++) {
      b[i * (MixturePlanner.BUCKETS / docs)] += tokensEach;
    }
    return new CellStats(List.of(domain), docs, docs * tokensEach, b);
  }

  private static MixtureSpec spec(Method method, List<CellTarget> shares, double temperature, double epochs, long budget) {
    return new MixtureSpec(List.of(), method, List.of("domain"), shares, temperature, epochs, budget, 0);
  }

  private static CellPlan find(MixturePlan plan, String domain) {
    return plan.cells().stream().filter(p -> p.cell().equals(List.of(domain))).findFirst().orElseThrow();
  }

  @Test
  void sharesDownAndUpSampleWithinOneDocument() {
    List<CellStats> cells = List.of(cell("a", 1000, 10), cell("b", 100, 10));
    MixtureSpec s = spec(Method.SHARES, List.of(new CellTarget(List.of("a"), 0.5), new CellTarget(List.of("b"), 0.5)),
        1, 4, 6000);
    MixturePlan plan = new MixturePlanner(s).plan(cells);
    CellPlan a = find(plan, "a");
    CellPlan b = find(plan, "b");
    assertEquals(0, a.fullEpochs());
    assertEquals(3000, a.plannedTokens());         // down-sampled to 300 of 1000 documents
    assertEquals(3, b.fullEpochs());               // 1000 tokens available, 3000 wanted: three whole epochs
    assertEquals(3000, b.plannedTokens());
    assertTrue(a.feasible() && b.feasible());
    assertNull(plan.budgetShortfall());
  }

  @Test
  void targetBeyondTheEpochCapIsInfeasibleWithAReason() {
    List<CellStats> cells = List.of(cell("a", 1000, 10), cell("b", 100, 10));
    MixtureSpec s = spec(Method.SHARES, List.of(new CellTarget(List.of("a"), 0.5), new CellTarget(List.of("b"), 0.5)),
        1, 2, 6000);
    MixturePlan plan = new MixturePlanner(s).plan(cells);
    CellPlan b = find(plan, "b");
    assertFalse(b.feasible());
    assertEquals(2000, b.plannedTokens());         // the cap: 1000 tokens x 2 epochs
    assertTrue(b.reason().contains("max-epochs 2.00 allows 2000"), b.reason());
    assertEquals(3000, find(plan, "a").plannedTokens());
    assertNotNull(plan.budgetShortfall());
  }

  @Test
  void missingCellIsInfeasibleAndUntargetedCellIsListed() {
    List<CellStats> cells = List.of(cell("a", 100, 10), cell("c", 100, 10));
    MixtureSpec s = spec(Method.SHARES, List.of(new CellTarget(List.of("a"), 0.5), new CellTarget(List.of("z"), 0.5)),
        1, 4, 1000);
    MixturePlan plan = new MixturePlanner(s).plan(cells);
    assertEquals("no documents in this cell", find(plan, "z").reason());
    assertEquals(0, find(plan, "c").plannedTokens());
    assertEquals("no target for this cell", find(plan, "c").reason());
  }

  @Test
  void zeroBudgetMeansAllAvailableTokensOfTargetedCells() {
    List<CellStats> cells = List.of(cell("a", 100, 10), cell("b", 100, 10), cell("c", 50, 10));
    MixtureSpec s = spec(Method.SHARES, List.of(new CellTarget(List.of("a"), 0.25), new CellTarget(List.of("b"), 0.75)),
        1, 4, 0);
    MixturePlan plan = new MixturePlanner(s).plan(cells);
    assertEquals(2000, plan.budgetTokens());
    assertEquals(1500, find(plan, "b").plannedTokens());
  }

  @Test
  void temperatureFlattensNaturalShares() {
    List<CellStats> cells = List.of(cell("a", 900, 10), cell("b", 100, 10));
    MixturePlan natural = new MixturePlanner(spec(Method.TEMPERATURE, List.of(), 1, 10, 0)).plan(cells);
    assertEquals(0.9, find(natural, "a").targetShare(), 1e-9);
    MixturePlan flat = new MixturePlanner(spec(Method.TEMPERATURE, List.of(), 2, 10, 0)).plan(cells);
    assertEquals(3.0 / 4.0, find(flat, "a").targetShare(), 1e-9); // sqrt(9000) : sqrt(1000) = 3 : 1
    assertEquals(2500, find(flat, "b").plannedTokens());           // 1000 available, 2.5 epochs
  }

  @Test
  void unimaxSpreadsEvenlyAndCapsSmallCells() {
    List<CellStats> cells = List.of(cell("a", 1000, 10), cell("b", 500, 10), cell("c", 10, 10));
    MixturePlan plan = new MixturePlanner(spec(Method.UNIMAX, List.of(), 1, 2, 9000)).plan(cells);
    assertEquals(200, find(plan, "c").plannedTokens());           // 100 tokens x 2 epochs
    assertEquals(4400, find(plan, "b").plannedTokens());          // (9000 - 200) / 2
    assertEquals(4400, find(plan, "a").plannedTokens());
    assertTrue(plan.cells().stream().allMatch(CellPlan::feasible));
    assertNull(plan.budgetShortfall());
  }

  @Test
  void cutoffIsTheClosestPrefix() {
    long[] b = new long[MixturePlanner.BUCKETS];
    Arrays.fill(b, 0, 10, 10);
    MixtureSpec s = spec(Method.SHARES, List.of(new CellTarget(List.of("a"), 1.0)), 1, 1, 34);
    CellPlan p = new MixturePlanner(s).plan(List.of(new CellStats(List.of("a"), 10, 100, b))).cells().get(0);
    assertEquals(3, p.cutoffBucket());
    assertEquals(30, p.plannedTokens());
  }
}
