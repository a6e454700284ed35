package dev.refinery.synth.generators;

import dev.refinery.synth.Instruction;
import dev.refinery.synth.Seeds;
import dev.refinery.synth.client.ChatMessage;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.Sampling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Responses for instructions: a system prompt in the instruction's language, then the instruction as the
 * user turn. {@code sample} numbers independent samples of the same instruction (preference pairs need
 * several); the model may differ from the endpoint's default (a teacher for distillation).
 */
public final class Responses {
  public static final String NAME = "responses";

  /** The request for one (instruction, sample). */
  public static LlmRequest request(Generation g, String model, Instruction i, Sampling s, int sample) {
    String system = g.templates().render("respond-system", i.lang(), Map.of());
    return LlmRequest.chat(model, List.of(ChatMessage.system(system), ChatMessage.user(i.userTurn())), s,
        Seeds.of(g.seed(), NAME, i.id(), sample));
  }

  /**
   * One response per instruction (by instruction id), each from the model {@code modelOf} names for it;
   * failed calls are rejected and absent.
   */
  public static Map<String, LlmResponse> respond(Generation g, Function<Instruction, String> modelOf,
      List<Instruction> instructions) {
    List<LlmRequest> requests = new ArrayList<>();
    for (Instruction i : instructions) {
      requests.add(request(g, modelOf.apply(i), i, g.sampling(), 0));
    }
    Map<String, LlmResponse> answers = g.calls().complete(requests);
    Map<String, LlmResponse> out = new LinkedHashMap<>();
    for (int k = 0; k < instructions.size(); k++) {
      Instruction i = instructions.get(k);
      LlmResponse r = answers.get(requests.get(k).key());
      if (g.usable(i, r, NAME)) {
        out.put(i.id(), r);
      }
    }
    return out;
  }

  private Responses() {}
}
