package dev.refinery.synth;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.eval.AnswerJudge;
import dev.refinery.core.stage.StageContext;
import dev.refinery.synth.client.Sampling;
import dev.refinery.synth.generators.Generation;
import dev.refinery.synth.generators.Judge;
import dev.refinery.synth.prompts.PromptTemplates;
import java.util.ArrayList;
import java.util.List;

/**
 * The eval judge: synth's {@link Judge} (single-answer 1-10 grading at temperature 0, through {@code synth.endpoint}
 * and the {@code synth.cache} response cache) grades the evaluated answer and the reference answer of each
 * instruction apart; the higher grade wins, equal grades tie. Each answer is graded on its own, so neither is seen
 * first and no position bias enters. Registered for {@link java.util.ServiceLoader}.
 */
public final class EndpointJudge implements AnswerJudge {
  /** Judge prompts exist in English and Chinese; eval's instructions are graded with the English one. */
  private static final String LANG = "en";

  @Override
  public void validate(StageContext ctx) {
    SynthStage.validateEndpoint(ctx.config());
  }

  @Override
  public List<Verdict> judge(StageContext ctx, List<Item> items) {
    RefineryConfig synth = ctx.config().section("synth");
    Generation g = new Generation(SynthStage.calls(ctx), new PromptTemplates(), synth.getString("endpoint.model"),
        Sampling.from(synth.section("sampling")), synth.getLong("seed"), new ArrayList<>());
    List<Judge.Item> graded = new ArrayList<>();
    for (Item it : items) {
      graded.add(new Judge.Item(LANG, it.instruction(), it.answer()));
      graded.add(new Judge.Item(LANG, it.instruction(), it.reference()));
    }
    List<Judge.Outcome> grades = Judge.score(g, graded);
    List<Verdict> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Judge.Outcome answer = grades.get(2 * i);
      Judge.Outcome reference = grades.get(2 * i + 1);
      if (answer.verdict() == null || reference.verdict() == null) {
        out.add(Verdict.failed(answer.verdict() == null ? answer.problem() : reference.problem()));
        continue;
      }
      int d = Integer.compare(answer.verdict().score(), reference.verdict().score());
      out.add(Verdict.of(d > 0 ? Outcome.WIN : d < 0 ? Outcome.LOSS : Outcome.TIE));
    }
    return out;
  }
}
