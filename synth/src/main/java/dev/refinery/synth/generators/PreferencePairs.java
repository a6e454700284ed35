package dev.refinery.synth.generators;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.Sampling;
import dev.refinery.synth.filters.Candidate;
import dev.refinery.synth.filters.FilterChain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Preference pairs for DPO (UltraFeedback style): several sampled responses per instruction, each scored
 * by the judge; the best is chosen, the worst rejected, kept only when the scores differ by at least the
 * margin. Samples that fail the response filters or get no readable score take no part.
 */
public final class PreferencePairs implements SynthGenerator {
  public static final String NAME = "preferences";

  /** One pair with the judge's scores and rationales. */
  public record Pair(Instruction instruction, String chosen, String rejected, int chosenScore, int rejectedScore,
      String chosenRationale, String rejectedRationale) {}

  private record Scored(String text, int score, String rationale, int sample) {}

  private final int samples;
  private final double temperature;
  private final int minMargin;
  private final int maxPrompts;

  public PreferencePairs(RefineryConfig synth) {
    RefineryConfig p = synth.section(NAME);
    this.samples = p.getInt("samples");
    this.temperature = p.getDouble("temperature");
    this.minMargin = p.getInt("min-margin");
    this.maxPrompts = p.getInt("max-prompts");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Phase phase() {
    return Phase.PAIRS;
  }

  /** Pairs for the first {@code max-prompts} answered instructions (all when 0). */
  @Override
  public List<Pair> pairs(GeneratorContext ctx, List<Instruction> answered) {
    List<Instruction> prompts = answered.stream().limit(maxPrompts > 0 ? maxPrompts : Long.MAX_VALUE).toList();
    return build(ctx.g(), prompts, ctx.responseFilters());
  }

  List<Pair> build(Generation g, List<Instruction> instructions, FilterChain responseFilters) {
    Sampling s = g.sampling().withTemperature(temperature);
    List<LlmRequest> requests = new ArrayList<>();
    for (Instruction i : instructions) {
      for (int k = 0; k < samples; k++) {
        requests.add(Responses.request(g, g.model(), i, s, 1000 + k));
      }
    }
    Map<String, LlmResponse> answers = g.calls().complete(requests);
    List<Judge.Item> toJudge = new ArrayList<>();
    List<int[]> judged = new ArrayList<>(); // (instruction index, sample)
    for (int n = 0; n < instructions.size(); n++) {
      Instruction i = instructions.get(n);
      for (int k = 0; k < samples; k++) {
        LlmResponse r = answers.get(requests.get(n * samples + k).key());
        if (!g.usable(i, r, NAME)) {
          continue;
        }
        String bad = responseFilters.reject(new Candidate(i, r.text(), r.finishReason()));
        if (bad != null) {
          g.rejects().add(Reject.of(i, NAME + ":sample-" + bad, r.text()));
          continue;
        }
        toJudge.add(new Judge.Item(i.lang(), i.userTurn(), r.text()));
        judged.add(new int[] {n, k});
      }
    }
    List<Judge.Outcome> verdicts = Judge.score(g, toJudge);
    List<List<Scored>> perInstruction = new ArrayList<>();
    instructions.forEach(i -> perInstruction.add(new ArrayList<>()));
    for (int j = 0; j < toJudge.size(); j++) {
      Judge.Outcome o = verdicts.get(j);
      Instruction i = instructions.get(judged.get(j)[0]);
      if (o.verdict() == null) {
        g.rejects().add(Reject.of(i, NAME + ":" + o.problem(), toJudge.get(j).response()));
        continue;
      }
      perInstruction.get(judged.get(j)[0]).add(new Scored(toJudge.get(j).response(), o.verdict().score(),
          o.verdict().rationale(), judged.get(j)[1]));
    }
    List<Pair> pairs = new ArrayList<>();
    for (int n = 0; n < instructions.size(); n++) {
      List<Scored> scored = perInstruction.get(n);
      Instruction i = instructions.get(n);
      if (scored.size() < 2) {
        g.rejects().add(Reject.of(i, NAME + ":fewer-than-2-scored-samples", i.userTurn()));
        continue;
      }
      // Ties go to the earlier sample, so the pair does not depend on anything but the answers.
      Scored best = scored.get(0);
      Scored worst = scored.get(0);
      for (Scored x : scored) {
        best = x.score() > best.score() ? x : best;
        worst = x.score() < worst.score() ? x : worst;
      }
      if (best.score() - worst.score() < minMargin || best.text().equals(worst.text())) {
        g.rejects().add(Reject.of(i, NAME + ":margin-below-" + minMargin, i.userTurn()));
        continue;
      }
      pairs.add(new Pair(i, best.text(), worst.text(), best.score(), worst.score(), best.rationale(),
          worst.rationale()));
    }
    return pairs;
  }
}
