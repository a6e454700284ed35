package dev.refinery.train.eval;

import dev.refinery.core.RefineryException;
import dev.refinery.core.eval.AnswerJudge;
import dev.refinery.core.stage.StageContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A test judge found through ServiceLoader as synth's is: the longer answer wins, equal lengths tie; an answer
 * containing "UNJUDGEABLE" gets no verdict. Validation fails when synth.endpoint.base-url names "unreachable".
 * Remembers what it was asked.
 */
public final class LongerAnswerJudge implements AnswerJudge {
  static final List<Item> ASKED = new ArrayList<>();

  @Override
  public void validate(StageContext ctx) {
    if (ctx.config().getString("synth.endpoint.base-url").contains("unreachable")) {
      throw new RefineryException("cannot reach the LLM endpoint " + ctx.config().getString("synth.endpoint.base-url"));
    }
  }

  @Override
  public List<Verdict> judge(StageContext ctx, List<Item> items) {
    ASKED.addAll(items);
    List<Verdict> out = new ArrayList<>();
    for (Item it : items) {
      int d = Integer.compare(it.answer().length(), it.reference().length());
      out.add(it.reference().contains("UNJUDGEABLE") ? Verdict.failed("judge:unparseable")
          : Verdict.of(d > 0 ? Outcome.WIN : d < 0 ? Outcome.LOSS : Outcome.TIE));
    }
    return out;
  }
}
