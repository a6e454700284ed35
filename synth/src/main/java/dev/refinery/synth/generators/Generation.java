package dev.refinery.synth.generators;

import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.cache.LlmCalls;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.Sampling;
import dev.refinery.synth.prompts.PromptTemplates;
import java.util.List;

/**
 * What every generator works with: the cached LLM calls, the templates, the model and sampling defaults,
 * the run's base seed, and the list that collects rejects (failed calls, failed checks).
 */
public record Generation(LlmCalls calls, PromptTemplates templates, String model, Sampling sampling, long seed,
    List<Reject> rejects) {

  /** A one-turn chat request. */
  public LlmRequest ask(String prompt, Sampling s, long requestSeed) {
    return LlmRequest.chat(model, List.of(ChatMessage.user(prompt)), s, requestSeed);
  }

  /** Records a failed call as a reject and says whether the response is usable. */
  public boolean usable(Instruction about, LlmResponse r, String step) {
    if (r == null) {
      rejects.add(Reject.of(about, step + ":no-response", about.userTurn()));
      return false;
    }
    if (!r.ok()) {
      rejects.add(Reject.of(about, step + ":llm-error " + r.error(), about.userTurn()));
      return false;
    }
    return true;
  }
}
