package dev.refinery.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The draws of CPython 3.11's random.Random, as printed by it for the same seeds. */
class PythonRandomTest {
  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void sameNumbersAndSamplesAsCPython() {
    PythonRandom r = new PythonRandom(1234);
    // random.Random(1234).getrandbits(32), three times
    assertEquals(List.of(4150886329L, 3342196574L, 1892932127L), List.of(r.nextUint32(), r.nextUint32(), r.nextUint32()));
    // random.Random(1234): sample(range(6), 3) twice (the pool algorithm)
    PythonRandom s = new PythonRandom(1234);
    assertEquals(List.of(3, 0, 4), s.sample(range(6), 3));
    assertEquals(List.of(0, 4, 5), s.sample(range(6), 3));
    // the set algorithm: random.Random(0).sample(range(100), 8); a seed of two 32-bit words
    assertEquals(List.of(49, 97, 53, 5, 33, 65, 62, 51), new PythonRandom(0).sample(range(100), 8));
    assertEquals(List.of(19, 23, 26, 20), new PythonRandom((1L << 40) + 7).sample(range(30), 4));
  }
}
