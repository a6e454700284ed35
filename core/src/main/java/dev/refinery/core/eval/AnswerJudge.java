package dev.refinery.core.eval;

import dev.refinery.core.RefineryException;
import dev.refinery.core.stage.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Judges a model's answers to instructions against reference answers, for {@code refinery eval}'s judged tasks.
 * The module that owns an LLM client (synth) implements it and registers it in
 * {@code META-INF/services/dev.refinery.core.eval.AnswerJudge}; eval finds it with {@link ServiceLoader}, so the
 * evaluator never imports the client.
 */
public interface AnswerJudge {

  /** One instruction with the evaluated model's answer and the reference answer. */
  record Item(String instruction, String answer, String reference) {}

  /** The evaluated answer against the reference. */
  enum Outcome { WIN, TIE, LOSS }

  /** An outcome, or (outcome null) why the judge gave none (a failed call, an unreadable verdict). */
  record Verdict(Outcome outcome, String problem) {
    public static Verdict of(Outcome o) {
      return new Verdict(o, null);
    }

    public static Verdict failed(String problem) {
      return new Verdict(null, problem);
    }
  }

  /** Checks the judge's configuration and endpoint; one line (a {@link RefineryException}) when unusable. */
  void validate(StageContext ctx);

  /** A verdict per item, in order. */
  List<Verdict> judge(StageContext ctx, List<Item> items);

  /** The one registered judge; one line when there is none or more than one. */
  static AnswerJudge registered() {
    List<AnswerJudge> found = new ArrayList<>();
    ServiceLoader.load(AnswerJudge.class).forEach(found::add);
    if (found.isEmpty()) {
      throw new RefineryException("eval: a judged task needs an LLM judge, and none is on the class path (the synth "
          + "module provides it; run through bin/refinery)");
    }
    if (found.size() > 1) {
      throw new RefineryException("eval: more than one LLM judge on the class path: "
          + found.stream().map(j -> j.getClass().getName()).toList());
    }
    return found.get(0);
  }
}
