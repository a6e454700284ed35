package dev.refinery.mixing.plan;

import java.util.List;

/** The plan for every cell, the budget it was made for, and why the budget cannot be met (null if it can). */
public record MixturePlan(List<CellPlan> cells, long budgetTokens, String budgetShortfall) {
  public MixturePlan {
    cells = List.copyOf(cells);
  }
}
