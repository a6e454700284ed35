package dev.refinery.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.refinery.train.shards.ShardEntry;
import dev.refinery.train.stream.ShardSchedule;
import dev.refinery.train.stream.ShardSchedule.SequenceRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardScheduleTest {
  private static final List<ShardEntry> SHARDS = List.of(new ShardEntry("a", 37, 8, 296, "0", null),
      new ShardEntry("b", 5, 8, 40, "0", null), new ShardEntry("c", 50, 8, 400, "0", null));

  @Test
  void everyRankGetsTheSameStepsAndNoSequenceTwiceInAnEpoch() {
    int world = 3;
    int batch = 4;
    ShardSchedule s = new ShardSchedule(SHARDS, 7, 6, world, batch);
    assertEquals(92 / 12, s.stepsPerEpoch());
    Set<SequenceRef> seen = new HashSet<>();
    for (long step = 0; step < s.stepsPerEpoch(); step++) {
      for (int rank = 0; rank < world; rank++) {
        for (SequenceRef r : s.batch(0, step, rank)) {
          assertTrue(seen.add(r), "read twice: " + r);
          assertTrue(r.sequence() < SHARDS.get(r.shard()).sequences());
        }
      }
    }
    assertEquals(s.stepsPerEpoch() * world * batch, seen.size());
  }

  @Test
  void orderIsAFunctionOfSeedAndEpochOnly() {
    ShardSchedule a = new ShardSchedule(SHARDS, 7, 6, 2, 3);
    ShardSchedule b = new ShardSchedule(SHARDS, 7, 6, 2, 3);
    ShardSchedule other = new ShardSchedule(SHARDS, 8, 6, 2, 3);
    List<SequenceRef> epoch0 = new ArrayList<>();
    List<SequenceRef> epoch1 = new ArrayList<>();
    List<SequenceRef> otherSeed = new ArrayList<>();
    for (long step = 0; step < a.stepsPerEpoch(); step++) {
      epoch0.addAll(List.of(a.batch(0, step, 1)));
      epoch1.addAll(List.of(a.batch(1, step, 1)));
      otherSeed.addAll(List.of(other.batch(0, step, 1)));
    }
    List<SequenceRef> again = new ArrayList<>();
    for (long step = a.stepsPerEpoch() - 1; step >= 0; step--) { // any access order gives the same batches
      again.addAll(0, List.of(b.batch(0, step, 1)));
    }
    assertEquals(epoch0, again);
    assertNotEquals(epoch0, epoch1);
    assertNotEquals(epoch0, otherSeed);
  }
}
