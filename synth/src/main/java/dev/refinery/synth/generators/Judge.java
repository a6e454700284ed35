package dev.refinery.synth.generators;

import dev.refinery.synth.Seeds;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.text.JudgeVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * LLM-as-a-judge (MT-Bench style single-answer grading): a 1-10 score with a rationale for a response to an
 * instruction, at temperature 0. An answer without a readable score is an unparseable verdict (empty).
 */
public final class Judge {
  public static final String NAME = "judge";

  /** What one judgement is about. */
  public record Item(String lang, String instruction, String response) {}

  /** The verdict, or (verdict null) the problem: a failed call or an answer without a readable score. */
  public record Outcome(JudgeVerdict verdict, String problem) {}

  /** An outcome per item, in order. */
  public static List<Outcome> score(Generation g, List<Item> items) {
    List<LlmRequest> requests = new ArrayList<>();
    for (Item it : items) {
      String prompt = g.templates().render(NAME, it.lang(),
          Map.of("instruction", it.instruction(), "response", it.response()));
      requests.add(g.ask(prompt, g.sampling().withTemperature(0), Seeds.of(g.seed(), NAME)));
    }
    Map<String, LlmResponse> answers = g.calls().complete(requests);
    List<Outcome> out = new ArrayList<>();
    for (LlmRequest req : requests) {
      LlmResponse r = answers.get(req.key());
      if (r == null || !r.ok()) {
        out.add(new Outcome(null, r == null ? "judge:no-response" : "judge:llm-error " + r.error()));
        continue;
      }
      Optional<JudgeVerdict> v = JudgeVerdict.parse(r.text());
      out.add(new Outcome(v.orElse(null), v.isPresent() ? null : "judge:unparseable"));
    }
    return out;
  }

  private Judge() {}
}
