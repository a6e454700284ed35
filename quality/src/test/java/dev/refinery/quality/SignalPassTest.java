package dev.refinery.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.refinery.core.config.RefineryConfig;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The whole per-document pass on the inputs that break naive filters: huge one-liners, nothing, junk. */
class SignalPassTest {
  private final SignalPass pass = SignalPass.fromConfig(RefineryConfig.defaultsOnly(), path -> List.of());
  private final SignalPass.Measurer measurer = pass.measurer();

  private Object get(Row r, String column) {
    return r.get(pass.schema().fieldIndex(column));
  }

  @Test
  void fiftyMegabytesOnOneLineIsRefusedAtOnce() {
    String huge = "word ".repeat(10_000_000);
    Row r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> measurer.measure("h", null, "en", huge, null));
    assertEquals("too_long_to_measure", get(r, SignalPass.MEASURE_ERROR));
    assertNull(get(r, "gopher_words"));
  }

  @Test
  void fiveMegabytesOnOneLineIsMeasuredInLinearTime() {
    String big = "lorem ipsum dolor sit amet ".repeat(200_000); // 5.4 MB, one line, 1M words
    RefineryConfig config = RefineryConfig.load(List.of(), List.of("quality.max-chars=10000000"));
    SignalPass.Measurer m = SignalPass.fromConfig(config, path -> List.of()).measurer();
    Row r = assertTimeoutPreemptively(Duration.ofSeconds(90), () -> m.measure("b", null, "en", big, null));
    assertEquals(1_000_000, get(r, "gopher_words"));
    // every 10-gram after the first five words repeats: 22 letters of every 27 characters
    assertEquals(22.0 / 27, (double) get(r, "rep_dup_10gram_char_frac"), 1e-3);
  }

  @Test
  void emptyAndBinaryJunkAreMeasuredWithoutErrors() {
    Row empty = measurer.measure("e", null, "en", "", null);
    assertEquals(0, get(empty, "chars"));
    assertEquals(0, get(empty, "gopher_words"));
    StringBuilder junk = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      junk.append((char) ((i * 7919) % 0xD7FF));
    }
    Row j = measurer.measure("j", null, "und", junk.toString(), null);
    assertNull(get(j, SignalPass.MEASURE_ERROR));
    Row zh = measurer.measure("z", null, "zh", junk.toString(), null);
    assertNull(get(zh, "gopher_words"));
  }
}
