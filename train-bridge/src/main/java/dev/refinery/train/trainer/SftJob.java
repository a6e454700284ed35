package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.models.generation.ChatTemplate;
import dev.refinery.models.lora.LoraConfig;
import dev.refinery.models.tokenizer.BpeTrainer;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.chat.ChatEncoder;
import dev.refinery.train.chat.ChatRecords;
import dev.refinery.train.chat.ChatSource;
import dev.refinery.train.chat.Conversation;
import dev.refinery.train.chat.EncodedChat;
import dev.refinery.train.chat.PackedRow;
import dev.refinery.train.chat.RowPacker;
import dev.refinery.train.tokens.TokenizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * {@code refinery train sft} and {@code refinery train lora}: chat-formatted instruction data (a table or
 * JSON/JSONL files, see {@code train.sft.*}) rendered by the base model's chat template (ChatML for Refinery's own
 * models), learned on the assistant's tokens only, packed into rows whose samples do not see each other; a fresh model or a base model folder is
 * fine-tuned whole ({@code sft}) or through LoRA adapters ({@code lora}, see {@code train.lora.*}).
 */
public final class SftJob {
  public static final String SFT = "sft";
  public static final String LORA = "lora";

  private SftJob() {}

  /** The prepared data, as every trainer gets it. */
  record Prepared(ModelConfig model, TokenizerSpec tokenizer, int padId, List<PackedRow> train,
      List<PackedRow> validation, List<ChatSource.Rejected> rejects) {}

  public static TrainSummary run(StageContext ctx, boolean lora) {
    String kind = lora ? LORA : SFT;
    TrainSettings s = TrainSettings.from(ctx.config());
    s.requireNoInitFrom("train.sft.base");
    SftSettings sft = SftSettings.from(ctx.config());
    LoraConfig loraConfig = lora ? LoraSettings.from(ctx.config()) : null;
    if (lora && sft.base().isEmpty()) {
      throw new RefineryException("train lora adapts an existing model: set train.sft.base to a model folder "
          + "(e.g. <checkpoints>/model of `train sft` or `train pretrain`)");
    }
    Prepared data = prepare(ctx, s, sft);
    ChatSource.writeRejects(ctx.warehouse(), ctx.runId(), "train-" + kind, data.rejects());
    if (data.train().size() < (long) s.tasks() * s.batchSize()) {
      throw new RefineryException("only " + data.train().size() + " training rows for " + s.tasks() + " trainers x "
          + "batch " + s.batchSize() + "; lower train.batch-size or add data");
    }
    String dir = TrainJobs.checkpointDir(ctx, s, kind);
    return TrainJobs.launch(ctx, s, kind, dir, new SftTask(kind, s, dir, TrainJobs.hadoop(ctx), data.model(),
        sft.base(), loraConfig, data.tokenizer().json(), data.padId(), data.train(), data.validation()));
  }

  /** Reads, splits (by a hash of the record id), tokenises and packs the instruction data. */
  static Prepared prepare(StageContext ctx, TrainSettings s, SftSettings sft) {
    ChatSource.Loaded<Conversation> loaded = sft.files().isEmpty()
        ? ChatSource.table(ctx.warehouse(), sft.input(), ctx.runId(), sft.allRuns(), ChatRecords::conversation)
        : ChatSource.files(sft.files(), ChatRecords::conversation);
    List<Conversation> train = new ArrayList<>();
    List<Conversation> validation = new ArrayList<>();
    for (Conversation c : loaded.records()) {
      Conversation withSystem = withSystemPrompt(c, sft.systemPrompt());
      (TrainJobs.heldOut(c.id(), sft.validationFraction(), s.seed()) ? validation : train).add(withSystem);
    }
    TokenizerSpec spec = tokenizer(sft, train);
    Tokenizer tokenizer = spec.open();
    ModelConfig model = sft.base().isEmpty()
        ? s.model(tokenizer.vocabSize(), sft.contextLength())
        : ModelFolders.config(sft.base());
    if (tokenizer.vocabSize() > model.vocabSize()) {
      throw new RefineryException("the tokenizer has " + tokenizer.vocabSize() + " tokens, the base model only "
          + model.vocabSize() + "; use the base's own tokenizer (train.sft.tokenizer = \"\")");
    }
    // A Hugging Face base may take 32k tokens; rows stay train.sft.context-length long unless the base is shorter.
    int rowLength = Math.min(model.contextLength(), sft.contextLength()) + 1;
    List<ChatSource.Rejected> rejects = new ArrayList<>(loaded.rejects());
    ChatEncoder encoder = new ChatEncoder(tokenizer, ModelFolders.chatTemplate(sft.base()));
    List<EncodedChat> trainChats = encode(encoder, train, rowLength, rejects);
    List<EncodedChat> valChats = encode(encoder, validation, rowLength, rejects);
    // Packing in a seeded random order mixes short and long samples in every row.
    Collections.shuffle(trainChats, new Random(s.seed()));
    RowPacker packer = new RowPacker(rowLength, sft.packing(), tokenizer.padId());
    return new Prepared(model, spec, tokenizer.padId(), packer.pack(trainChats), packer.pack(valChats), rejects);
  }

  private static Conversation withSystemPrompt(Conversation c, String system) {
    if (system.isEmpty() || c.turns().stream().anyMatch(t -> t.role().equals("system"))) {
      return c;
    }
    List<ChatTemplate.Turn> turns = new ArrayList<>();
    turns.add(new ChatTemplate.Turn("system", system));
    turns.addAll(c.turns());
    return new Conversation(c.id(), turns);
  }

  /** Encoded chats; one whose answers all lie beyond the row (cut off) is rejected, it would teach nothing. */
  private static List<EncodedChat> encode(ChatEncoder encoder, List<Conversation> chats, int rowLength,
      List<ChatSource.Rejected> rejects) {
    List<EncodedChat> out = new ArrayList<>();
    for (Conversation c : chats) {
      EncodedChat e;
      try {
        e = encoder.encode(c);
      } catch (RefineryException refused) {
        rejects.add(new ChatSource.Rejected(c.id(), "train-sft", refused.getMessage(),
            Rejects.excerpt(c.turns().get(0).content())));
        continue;
      }
      boolean learnable = false;
      for (int i = 1; i < Math.min(rowLength, e.tokens().length); i++) {
        learnable |= e.trained()[i];
      }
      if (learnable) {
        out.add(e);
      } else {
        rejects.add(new ChatSource.Rejected(c.id(), "train-sft", "no assistant token within the first " + rowLength
            + " tokens (the prompt fills the context)", Rejects.excerpt(c.turns().get(0).content())));
      }
    }
    return out;
  }

  /** The base's tokenizer, a file, or one learned from the training texts ("char", "bpe:N"). */
  static TokenizerSpec tokenizer(SftSettings sft, List<Conversation> train) {
    String t = sft.tokenizer();
    if (t.isEmpty()) {
      if (sft.base().isEmpty()) {
        throw new RefineryException("train.sft.tokenizer is empty and there is no base model to take it from; set "
            + "it to a tokenizer.json, \"char\" or \"bpe:N\"");
      }
      return TokenizerSpec.fromFile(Path.of(sft.base(), Tokenizers.FILE_NAME).toString());
    }
    if (!sft.base().isEmpty() && (t.equals(TokenizerSpec.CHAR) || t.startsWith("bpe:"))) {
      throw new RefineryException("train.sft.tokenizer = \"" + t + "\" learns a new vocabulary, which a base model "
          + "cannot read; leave it empty to use the base's tokenizer");
    }
    List<String> texts = new ArrayList<>();
    train.forEach(c -> c.turns().forEach(turn -> {
      texts.add(turn.role());
      texts.add(turn.content());
    }));
    if (t.equals(TokenizerSpec.CHAR)) {
      TreeSet<String> alphabet = new TreeSet<>();
      texts.forEach(x -> x.codePoints().forEach(cp -> alphabet.add(new String(Character.toChars(cp)))));
      alphabet.add("\n");
      return TokenizerSpec.characters(new ArrayList<>(alphabet));
    }
    if (t.startsWith("bpe:")) {
      int vocab;
      try {
        vocab = Integer.parseInt(t.substring(4));
      } catch (NumberFormatException e) {
        throw new RefineryException("train.sft.tokenizer: bpe:N needs a number, got " + t);
      }
      return TokenizerSpec.of(t, new BpeTrainer(vocab).train(BpeTrainer.countPreTokens(texts)));
    }
    return TokenizerSpec.fromFile(t);
  }
}
