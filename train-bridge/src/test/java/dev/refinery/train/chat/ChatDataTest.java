package dev.refinery.train.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.generation.ChatTemplate.Turn;
import dev.refinery.models.tokenizer.CharTokenizer;
import dev.refinery.models.tokenizer.SpecialTokens;
import dev.refinery.models.transformer.DecoderModel;
import dev.refinery.models.transformer.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatDataTest {
  private static final CharTokenizer TOKENIZER = CharTokenizer.train(List.of(
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:?!\n"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Conversation chat(String id, String user, String answer) {
    return new Conversation(id, List.of(new Turn("system", "be brief"), new Turn("user", user),
        new Turn("assistant", answer)));
  }

  @Test
  void onlyTheAssistantsAnswersAndTheirEndMarkersAreLearned() {
    Conversation c = new Conversation("x", List.of(new Turn("user", "hi"), new Turn("assistant", "hello"),
        new Turn("user", "how are you?"), new Turn("assistant", "fine")));
    EncodedChat e = new ChatEncoder(TOKENIZER, ChatTemplate.CHATML).encode(c);
    // the whole sequence is exactly the chat template's text
    assertEquals(ChatTemplate.prompt(c.turns()).replaceFirst("<\\|im_start\\|>assistant\n$", ""),
        TOKENIZER.decode(e.tokens()));
    StringBuilder learned = new StringBuilder();
    for (int i = 0; i < e.tokens().length; i++) {
      if (e.trained()[i]) {
        learned.append(TOKENIZER.decode(new int[] {e.tokens()[i]}));
      }
    }
    // as TRL's completion-only loss: what the template adds for an answer, its end marker and newline included
    assertEquals("hello" + SpecialTokens.IM_END + "\nfine" + SpecialTokens.IM_END + "\n", learned.toString());
    // as targets: position i predicts token i+1; everything but the answers is ignored
    PackedRow row = new RowPacker(e.tokens().length, true, TOKENIZER.padId()).pack(List.of(e)).get(0);
    int[] y = row.targets(-1);
    StringBuilder targeted = new StringBuilder();
    for (int id : y) {
      if (id >= 0) {
        targeted.append(TOKENIZER.decode(new int[] {id}));
      }
    }
    assertEquals(learned.toString(), targeted.toString());
  }

  @Test
  void aPreferenceAnswerEndsWithTheEndOfAnswerTokenOnce(@TempDir Path folder) throws Exception {
    List<Turn> prompt = List.of(new Turn("user", "hi"));
    // ChatML closes the turn with <|im_end|>\n: the end token follows once more, as TRL's DPOTrainer appends eos
    int[] chatml = new ChatEncoder(TOKENIZER, ChatTemplate.CHATML).answer(prompt, "hello");
    assertEquals("hello" + SpecialTokens.IM_END + "\n" + SpecialTokens.IM_END, TOKENIZER.decode(chatml));
    // a template whose answer already ends with its eos (as Llama 3's and Mistral's) does not get it twice
    Files.writeString(folder.resolve("tokenizer_config.json"), JSON.writeValueAsString(java.util.Map.of(
        "eos_token", SpecialTokens.IM_END, "chat_template", "{% for m in messages %}{{ m.content }}"
            + "{% if m.role == 'assistant' %}{{ eos_token }}{% endif %}{% endfor %}")));
    int[] once = new ChatEncoder(TOKENIZER, ChatTemplate.of(folder)).answer(prompt, "hello");
    assertEquals("hello" + SpecialTokens.IM_END, TOKENIZER.decode(once));
  }

  @Test
  void packedSamplesSeeOnlyThemselves() {
    ChatEncoder encoder = new ChatEncoder(TOKENIZER, ChatTemplate.CHATML);
    List<EncodedChat> chats = List.of(encoder.encode(chat("a", "add 2 and 2", "4")),
        encoder.encode(chat("b", "name a colour", "blue, or maybe red")));
    int length = chats.get(0).tokens().length + chats.get(1).tokens().length + 5;
    List<PackedRow> rows = new RowPacker(length, true, TOKENIZER.padId()).pack(chats);
    assertEquals(1, rows.size(), "both fit one row");
    PackedRow row = rows.get(0);
    for (ModelConfig config : List.of(ModelConfig.gpt(TOKENIZER.vocabSize(), length, 2, 2, 16, 0f),
        ModelConfig.llama(TOKENIZER.vocabSize(), length, 2, 2, 16, 0f))) {
      try (DecoderModel model = DecoderModel.create(config, Device.cpu(), 7);
          NDManager m = model.manager().newSubManager()) {
        NDArray packed = model.forwardPacked(longs(m, row.tokens()), longs(m, row.positions()),
            longs(m, row.segments()), false);
        int offset = 0;
        for (EncodedChat c : chats) {
          int n = c.tokens().length;
          NDArray alone = model.forward(longs(m, c.tokens()), false);
          NDArray slice = packed.get(new NDIndex(":, {}:{}, :", offset, offset + n));
          assertTrue(alone.allClose(slice, 1e-4, 1e-5, false), "sample " + c.id() + " differs when packed ("
              + config.positions() + ")");
          offset += n;
        }
        // the unmasked model would let the second sample see the first: the mask is what makes them equal
        NDArray leaky = model.forward(longs(m, row.tokens()), false);
        int firstLength = chats.get(0).tokens().length;
        NDArray alone = model.forward(longs(m, chats.get(1).tokens()), false);
        assertFalse(alone.allClose(leaky.get(new NDIndex(":, {}:{}, :", firstLength,
            firstLength + chats.get(1).tokens().length)), 1e-4, 1e-5, false));
      }
    }
  }

  @Test
  void withoutPackingEverySampleHasItsRowAndLongOnesAreCut() {
    ChatEncoder encoder = new ChatEncoder(TOKENIZER, ChatTemplate.CHATML);
    List<EncodedChat> chats = List.of(encoder.encode(chat("a", "q", "short")),
        encoder.encode(chat("b", "q", "a much longer answer than fits")));
    List<PackedRow> unpacked = new RowPacker(60, false, TOKENIZER.padId()).pack(chats);
    assertEquals(2, unpacked.size());
    assertEquals(-1, unpacked.get(0).segments()[59], "padding is a segment of its own");
    assertEquals(0, unpacked.get(1).segments()[59], "the long sample is cut to the row");
  }

  private static NDArray longs(NDManager m, int[] ids) {
    long[] v = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      v[i] = ids[i];
    }
    return m.create(v, new Shape(1, ids.length));
  }

  @Test
  void readsAlpacaSharegptOpenAiAndPreferenceSchemas() throws Exception {
    Conversation alpaca = ChatRecords.conversation("1", JSON.readTree(
        "{\"instruction\":\"Sum\",\"input\":\"2 2\",\"output\":\"4\",\"system\":\"math\"}"));
    assertEquals(List.of(new Turn("system", "math"), new Turn("user", "Sum\n\n2 2"), new Turn("assistant", "4")),
        alpaca.turns());
    Conversation sharegpt = ChatRecords.conversation("2", JSON.readTree(
        "{\"conversations\":[{\"from\":\"human\",\"value\":\"hi\"},{\"from\":\"gpt\",\"value\":\"yo\"}]}"));
    assertEquals(List.of(new Turn("user", "hi"), new Turn("assistant", "yo")), sharegpt.turns());
    Conversation openai = ChatRecords.conversation("3", JSON.readTree(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"yo\"}]}"));
    assertEquals(sharegpt.turns(), openai.turns());
    PreferencePair llamaFactory = ChatRecords.preference("4", JSON.readTree("{\"conversations\":[{\"from\":\"human\","
        + "\"value\":\"q\"}],\"chosen\":{\"from\":\"gpt\",\"value\":\"good\"},\"rejected\":{\"from\":\"gpt\",\"value\":\"bad\"}}"));
    assertEquals(new PreferencePair("4", List.of(new Turn("user", "q")), "good", "bad"), llamaFactory);
    PreferencePair hh = ChatRecords.preference("5", JSON.readTree("{\"chosen\":\"\\n\\nHuman: q\\n\\nAssistant: a"
        + "\\n\\nHuman: q2\\n\\nAssistant: good\",\"rejected\":\"\\n\\nHuman: q\\n\\nAssistant: a\\n\\nHuman: q2"
        + "\\n\\nAssistant: bad\"}"));
    assertEquals(List.of(new Turn("user", "q"), new Turn("assistant", "a"), new Turn("user", "q2")), hh.prompt());
    assertEquals("good", hh.chosen());
    PreferencePair synth = ChatRecords.preference("6", JSON.readTree("{\"prompt\":\"q\",\"chosen\":\"good\","
        + "\"rejected\":\"bad\",\"chosen_score\":5}"));
    assertEquals(llamaFactory.prompt(), synth.prompt());
    assertEquals("no assistant answer to learn", assertThrows(IllegalArgumentException.class,
        () -> ChatRecords.conversation("7", JSON.readTree("{\"instruction\":\"x\",\"output\":\"\"}"))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ChatRecords.preference("8", JSON.readTree(
        "{\"prompt\":\"q\",\"chosen\":\"same\",\"rejected\":\"same\"}")));
  }

  @Test
  void badRecordsInFilesBecomeRejectsAndTheRestIsRead(@TempDir Path dir) throws Exception {
    Path jsonl = dir.resolve("mixed.jsonl");
    Files.writeString(jsonl, "{\"instruction\":\"a\",\"output\":\"b\"}\nnot json\n{\"foo\":1}\n\n"
        + "{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}\n");
    Path array = dir.resolve("array.json");
    Files.writeString(array, "[{\"instruction\":\"c\",\"output\":\"d\"}]");
    ChatSource.Loaded<Conversation> loaded = ChatSource.files(List.of(jsonl.toString(), array.toString()),
        ChatRecords::conversation);
    assertEquals(List.of("mixed.jsonl#0", "array.json#0"), loaded.records().stream().map(Conversation::id).toList());
    List<String> reasons = new ArrayList<>();
    loaded.rejects().forEach(r -> reasons.add(r.id() + ": " + r.reason()));
    assertEquals(List.of("mixed.jsonl#1: invalid JSON line",
        "mixed.jsonl#2: not an instruction record: needs messages, conversations or instruction",
        "mixed.jsonl#4: unknown chat role 'wizard'"), reasons);
  }
}
