package dev.refinery.mixing.spec;

import java.util.List;

/** One entry of {@code mixing.spec.shares}: the values of the group-by columns and the share of the budget. */
public record CellTarget(List<String> cell, double share) {
  public CellTarget {
    cell = List.copyOf(cell);
  }
}
