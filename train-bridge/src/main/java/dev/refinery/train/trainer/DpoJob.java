package dev.refinery.train.trainer;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import dev.refinery.core.warehouse.Rejects;
import dev.refinery.models.tokenizer.Tokenizer;
import dev.refinery.models.tokenizer.Tokenizers;
import dev.refinery.models.transformer.ModelConfig;
import dev.refinery.train.chat.ChatEncoder;
import dev.refinery.train.chat.ChatRecords;
import dev.refinery.train.chat.ChatSource;
import dev.refinery.train.chat.EncodedPair;
import dev.refinery.train.chat.PreferencePair;
import dev.refinery.train.tokens.TokenizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code refinery train dpo}: preference pairs (a table or JSON/JSONL files, see {@code train.dpo.*}) in the
 * ChatML template, a policy and a frozen reference both starting from {@code train.dpo.base} (+ adapter),
 * the sigmoid DPO loss; held-out pairs measure the reward accuracy.
 */
public final class DpoJob {
  private DpoJob() {}

  /** Pairs as every trainer gets them: training pairs first, then held-out ones (indices run on). */
  record Prepared(TokenizerSpec tokenizer, int padId, List<EncodedPair> train, List<EncodedPair> validation,
      List<ChatSource.Rejected> rejects) {}

  public static TrainSummary run(StageContext ctx) {
    TrainSettings s = TrainSettings.from(ctx.config());
    s.requireNoInitFrom("train.dpo.base");
    DpoSettings dpo = DpoSettings.from(ctx.config());
    Prepared data = prepare(ctx, s, dpo);
    ChatSource.writeRejects(ctx.warehouse(), ctx.runId(), "train-" + DpoTask.KIND, data.rejects());
    if (data.train().size() < (long) s.tasks() * s.batchSize()) {
      throw new RefineryException("only " + data.train().size() + " training pairs for " + s.tasks() + " trainers x "
          + "batch " + s.batchSize() + "; lower train.batch-size or add pairs");
    }
    String dir = TrainJobs.checkpointDir(ctx, s, DpoTask.KIND);
    return TrainJobs.launch(ctx, s, DpoTask.KIND, dir, new DpoTask(s, dir, TrainJobs.hadoop(ctx), dpo,
        data.tokenizer().json(), data.padId(), data.train(), data.validation()));
  }

  static Prepared prepare(StageContext ctx, TrainSettings s, DpoSettings dpo) {
    ChatSource.Loaded<PreferencePair> loaded = dpo.files().isEmpty()
        ? ChatSource.table(ctx.warehouse(), dpo.input(), ctx.runId(), dpo.allRuns(), ChatRecords::preference)
        : ChatSource.files(dpo.files(), ChatRecords::preference);
    TokenizerSpec spec = TokenizerSpec.fromFile(Path.of(dpo.base(), Tokenizers.FILE_NAME).toString());
    Tokenizer tokenizer = spec.open();
    ModelConfig model = ModelFolders.config(dpo.base());
    ChatEncoder encoder = new ChatEncoder(tokenizer, ModelFolders.chatTemplate(dpo.base()));
    List<PreferencePair> train = new ArrayList<>();
    List<PreferencePair> validation = new ArrayList<>();
    for (PreferencePair p : loaded.records()) {
      (TrainJobs.heldOut(p.id(), dpo.validationFraction(), s.seed()) ? validation : train).add(p);
    }
    List<EncodedPair> trainPairs = new ArrayList<>();
    List<EncodedPair> valPairs = new ArrayList<>();
    int rowLength = model.contextLength() + 1;
    List<ChatSource.Rejected> rejects = new ArrayList<>(loaded.rejects());
    for (PreferencePair p : train) {
      encode(p, trainPairs.size(), encoder, rowLength, dpo, trainPairs, rejects);
    }
    for (PreferencePair p : validation) {
      encode(p, train.size() + valPairs.size(), encoder, rowLength, dpo, valPairs, rejects);
    }
    return new Prepared(spec, tokenizer.padId(), trainPairs, valPairs, rejects);
  }

  /** A pair the chat template refuses (its own raise_exception) becomes a reject. */
  private static void encode(PreferencePair p, int index, ChatEncoder encoder, int rowLength, DpoSettings dpo,
      List<EncodedPair> into, List<ChatSource.Rejected> rejects) {
    try {
      into.add(EncodedPair.of(index, p, encoder, rowLength, dpo.maxPromptFraction()));
    } catch (RefineryException refused) {
      rejects.add(new ChatSource.Rejected(p.id(), "train-" + DpoTask.KIND, refused.getMessage(),
          Rejects.excerpt(p.prompt().isEmpty() ? "" : p.prompt().get(0).content())));
    }
  }
}
