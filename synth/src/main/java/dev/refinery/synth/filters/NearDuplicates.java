package dev.refinery.synth.filters;

import dev.refinery.core.text.TextNormalizer;
import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.text.Shingles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Exact (normalised text) and near (Jaccard of 5-word shingles at or above a threshold) duplicates among
 * instructions; the first in the given order is kept. Pairwise, so meant for the thousands of instructions a
 * synth run makes; a corpus-scale job belongs to the dedup stage's MinHash LSH.
 */
public final class NearDuplicates {
  private final double threshold;

  public NearDuplicates(double threshold) {
    this.threshold = threshold;
  }

  /** Keeps the first of each duplicate group; the others go to {@code rejects}. */
  public List<Instruction> keepFirst(List<Instruction> in, List<Instruction> alreadyKept, List<Reject> rejects) {
    Set<String> exact = new HashSet<>();
    List<Set<Long>> shingles = new ArrayList<>();
    for (Instruction k : alreadyKept) {
      exact.add(TextNormalizer.dedupKey(k.userTurn()));
      shingles.add(Shingles.of(k.userTurn(), 5));
    }
    List<Instruction> out = new ArrayList<>();
    for (Instruction i : in) {
      String key = TextNormalizer.dedupKey(i.userTurn());
      if (!exact.add(key)) {
        rejects.add(Reject.of(i, "duplicate:exact", i.userTurn()));
        continue;
      }
      Set<Long> s = Shingles.of(i.userTurn(), 5);
      if (shingles.stream().anyMatch(o -> Shingles.jaccard(s, o) >= threshold)) {
        rejects.add(Reject.of(i, "duplicate:near", i.userTurn()));
        continue;
      }
      shingles.add(s);
      out.add(i);
    }
    return out;
  }
}
