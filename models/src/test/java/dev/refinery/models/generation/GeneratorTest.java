package dev.refinery.models.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.refinery.models.tokenizer.CharTokenizer;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorTest {
  static final CharTokenizer CHARS = CharTokenizer.train(List.of("abcdefghij klmnop"));

  static List<ModelConfig> flavours() {
    int v = CHARS.vocabSize();
    return List.of(ModelConfig.gpt(v, 32, 2, 4, 32, 0f), ModelConfig.llama(v, 32, 2, 4, 32, 0f));
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void cachedGenerationEqualsFullRecomputationTokenForToken(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 11)) {
      Generator g = new Generator(m, CHARS);
      List<int[]> prompts = List.of(CHARS.encode("abc"), CHARS.encode("hello kid"), CHARS.encode("p"));
      for (SamplingParams p : List.of(SamplingParams.greedy(12), new SamplingParams(12, 0.9f, 5, 0.9f, null, 42))) {
        List<Completion> cached = g.generateTokens(prompts, p, true, null);
        List<Completion> full = g.generateTokens(prompts, p, false, null);
        for (int i = 0; i < prompts.size(); i++) {
          assertArrayEquals(full.get(i).tokens(), cached.get(i).tokens(), "prompt " + i);
        }
        // Batched prompts give what each prompt gives alone (padding is invisible).
        for (int i = 0; i < prompts.size(); i++) {
          assertArrayEquals(g.generateTokens(List.of(prompts.get(i)), p, true, null).get(0).tokens(),
              cached.get(i).tokens(), "alone " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("flavours")
  void maxTokensStopStringsTopKAndStreamingBehave(ModelConfig c) {
    try (DecoderModel m = DecoderModel.create(c, Device.cpu(), 5)) {
      Generator g = new Generator(m, CHARS);
      Completion greedy = g.generate(List.of("abc"), SamplingParams.greedy(10)).get(0);
      assertEquals(10, greedy.tokens().length);
      assertEquals("length", greedy.finishReason());
      assertEquals(CHARS.decode(greedy.tokens()), greedy.text());
      Completion topOne = g.generate(List.of("abc"), new SamplingParams(10, 1.5f, 1, 1f, null, 3)).get(0);
      assertArrayEquals(greedy.tokens(), topOne.tokens(), "top-k 1 is greedy");
      String stop = greedy.text().substring(3, 5);
      Completion stopped = g.generate(List.of("abc"), new SamplingParams(10, 0f, 0, 1f, List.of(stop), 0)).get(0);
      assertEquals("stop", stopped.finishReason());
      assertFalse(stopped.text().contains(stop));
      assertTrue(greedy.text().startsWith(stopped.text()));
      SamplingParams hot = new SamplingParams(16, 1f, 0, 0.95f, null, 99);
      assertEquals(g.generate(List.of("ab", "cd"), hot).get(1).text(), g.generate(List.of("ab", "cd"), hot).get(1).text(),
          "a seed makes sampling reproducible");
      List<StringBuilder> streamed = List.of(new StringBuilder(), new StringBuilder());
      List<Completion> both = g.generate(List.of("ab", "cd"), hot, (row, delta) -> streamed.get(row).append(delta));
      assertEquals(both.get(0).text(), streamed.get(0).toString());
      assertEquals(both.get(1).text(), streamed.get(1).toString());
      assertEquals(0, g.generate(List.of("ab"), SamplingParams.greedy(0)).get(0).tokens().length);
      List<Completion> nearContextEnd = g.generate(List.of("a".repeat(30)), SamplingParams.greedy(10));
      assertEquals(2, nearContextEnd.get(0).tokens().length, "generation stops at the context length");
    }
  }
}
