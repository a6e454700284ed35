package dev.refinery.models.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.refinery.models.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  static Map<String, String> corpus;
  static ByteLevelBpe bpe;

  static final List<String> ODD =
      List.of(
          "",
          " ",
          "Hello, world!  It's 2024 -- don't\tpanic.\r\n\r\n",
          "中文分词：太平军十占通城县城是太平天国运动的重要组成部分。",
          "emoji 👩‍👩‍👧 🇯🇵 e\u0301 non\u00A0breaking\u3000ideographic space",
          "mixed <|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n你好<|im_end|><|endoftext|>",
          "ﬁ ligature, Ω, مرحبا, שלום, Привет, 𝔘𝔫𝔦𝔠𝔬𝔡𝔢, \u0000\u0001 control");

  @BeforeAll
  static void train() throws Exception {
    corpus = new java.util.LinkedHashMap<>(SharedData.chineseWebText());
    corpus.put("tinyshakespeare", SharedData.tinyShakespeare());
    bpe = new BpeTrainer(1200).train(BpeTrainer.countPreTokens(corpus.values()));
  }

  @Test
  void bpeLearnsTheRequestedVocabularyWithChatSpecials() {
    assertEquals(1200, bpe.vocabSize());
    assertEquals(1196, bpe.eosId());
    assertEquals(1199, bpe.padId());
    assertEquals(1197, bpe.specialTokenId(SpecialTokens.IM_START).getAsInt());
    int[] ids = bpe.encode("<|im_start|>user");
    assertEquals(1197, ids[0]);
    assertTrue(bpe.encodeOrdinary("<|im_start|>").length > 1, "ordinary encoding treats specials as text");
    assertTrue(bpe.encode(corpus.get("tinyshakespeare")).length < corpus.get("tinyshakespeare").length() / 2,
        "merges compress English text");
  }

  @Test
  void bpeRoundTripsEverySharedCorpusAndOddUnicodeExactly() {
    for (var e : corpus.entrySet()) {
      assertEquals(e.getValue(), bpe.decode(bpe.encode(e.getValue())), e.getKey());
      assertEquals(e.getValue(), bpe.decode(bpe.encodeOrdinary(e.getValue())), e.getKey());
    }
    for (String s : ODD) {
      assertEquals(s, bpe.decode(bpe.encode(s)));
    }
  }

  @Test
  void djlHuggingFaceTokenizerEncodesOurTokenizerJsonIdentically(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("tokenizer.json");
    bpe.save(json);
    List<String> texts = new ArrayList<>(corpus.values());
    texts.addAll(ODD);
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "false", "truncation", "false"))) {
      for (String t : texts) {
        assertArrayEquals(toLong(bpe.encode(t)), hf.encode(t, false, false).getIds(), excerpt(t));
        assertEquals(t, hf.decode(toLong(bpe.encode(t)), false), excerpt(t));
      }
    }
    Tokenizer reloaded = Tokenizers.load(dir);
    assertInstanceOf(ByteLevelBpe.class, reloaded);
    for (String t : texts) {
      assertArrayEquals(bpe.encode(t), reloaded.encode(t));
    }
  }

  @Test
  void charTokenizerRoundTripsAndMatchesDjl(@TempDir Path dir) throws Exception {
    CharTokenizer chars = CharTokenizer.train(corpus.values());
    for (var e : corpus.entrySet()) {
      assertEquals(e.getValue(), chars.decode(chars.encode(e.getValue())), e.getKey());
    }
    String shakespeare = corpus.get("tinyshakespeare");
    assertEquals(shakespeare.length(), chars.encodeOrdinary(shakespeare).length);
    assertEquals(chars.specialTokenId(SpecialTokens.UNK).getAsInt(), chars.encode("☃")[0]);
    Path json = dir.resolve("tokenizer.json");
    chars.save(json);
    try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "false", "truncation", "false"))) {
      for (String t : List.of(shakespeare.substring(0, 5000), corpus.get("fasttext_test.txt"), ODD.get(5))) {
        assertArrayEquals(toLong(chars.encode(t)), hf.encode(t, false, false).getIds(), excerpt(t));
      }
    }
    Tokenizer reloaded = Tokenizers.load(json);
    assertInstanceOf(CharTokenizer.class, reloaded);
    assertArrayEquals(chars.encode(shakespeare), reloaded.encode(shakespeare));
  }

  private static long[] toLong(int[] ids) {
    long[] out = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = ids[i];
    }
    return out;
  }

  private static String excerpt(String t) {
    return t.substring(0, Math.min(60, t.length()));
  }
}
