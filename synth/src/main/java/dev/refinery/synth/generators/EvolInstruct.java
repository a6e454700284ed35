package dev.refinery.synth.generators;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.Seeds;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.filters.Candidate;
import dev.refinery.synth.filters.RefusalFilter;
import dev.refinery.synth.text.RougeL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evol-Instruct (WizardLM, Xu et al. 2023): each generation rewrites every surviving instruction with one
 * evolution picked by a seeded hash: five in-depth ones (add constraints, deepen, concretise, more reasoning
 * steps, complicate the input) or in-breadth (a new, rarer instruction of the same domain). Failed
 * evolutions are eliminated (to rejects) and do not evolve further: unchanged or nearly so, template words
 * leaked into the answer, refusals, truncated or empty answers.
 */
public final class EvolInstruct implements SynthGenerator {
  public static final String NAME = "evol-instruct";
  public static final List<String> EVOLUTIONS = List.of("evol-add-constraints", "evol-deepen", "evol-concretise",
      "evol-reasoning", "evol-complicate-input", "evol-breadth");
  private static final List<String> LEAKED = List.of("given prompt", "rewritten prompt", "#the given prompt#",
      "new prompt", "给定提示", "改写后的提示", "新的提示");

  private final int generations;
  private final double maxSimilarity;
  private final int maxRoots;

  public EvolInstruct(RefineryConfig synth) {
    RefineryConfig e = synth.section(NAME);
    this.generations = e.getInt("generations");
    this.maxSimilarity = e.getDouble("max-similarity");
    this.maxRoots = e.getInt("max-roots");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Phase phase() {
    return Phase.EVOLVE;
  }

  /** Evolves the first {@code max-roots} instructions of each language (in id order) of the pool. */
  @Override
  public List<Instruction> instructions(GeneratorContext ctx, List<Instruction> pool) {
    List<Instruction> roots = new ArrayList<>();
    for (String lang : ctx.languages()) {
      pool.stream().filter(i -> i.lang().equals(lang)).sorted(Comparator.comparing(Instruction::id))
          .limit(maxRoots).forEach(roots::add);
    }
    return evolve(ctx.g(), roots, ctx.refusals());
  }

  /** Every successful evolution of every generation; each names its parent. */
  List<Instruction> evolve(Generation g, List<Instruction> roots, RefusalFilter refusals) {
    List<Instruction> current = roots;
    List<Instruction> all = new ArrayList<>();
    for (int gen = 1; gen <= generations && !current.isEmpty(); gen++) {
      List<LlmRequest> requests = new ArrayList<>();
      for (Instruction parent : current) {
        String evolution = EVOLUTIONS.get((int) (Seeds.of(g.seed(), NAME, parent.id(), gen) % EVOLUTIONS.size()));
        String prompt = g.templates().render(evolution, parent.lang(), Map.of("instruction", parent.userTurn()));
        requests.add(g.ask(prompt, g.sampling(), Seeds.of(g.seed(), NAME, parent.id(), gen, "request")));
      }
      Map<String, LlmResponse> answers = g.calls().complete(requests);
      List<Instruction> next = new ArrayList<>();
      for (int i = 0; i < current.size(); i++) {
        Instruction parent = current.get(i);
        LlmResponse r = answers.get(requests.get(i).key());
        if (!g.usable(parent, r, NAME)) {
          continue;
        }
        String text = r.text().strip();
        Instruction child = Instruction.of(NAME, parent.lang(), text, "", parent.id());
        String failed = failure(parent, child, r, refusals);
        if (failed != null) {
          g.rejects().add(Reject.of(child, NAME + ":" + failed, text));
          continue;
        }
        next.add(child);
      }
      all.addAll(next);
      current = next;
    }
    return all;
  }

  private String failure(Instruction parent, Instruction child, LlmResponse r, RefusalFilter refusals) {
    String text = child.instruction();
    if (r.truncated()) {
      return "truncated";
    }
    if (RougeL.tokens(text).size() < 3) {
      return "too-short";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String leak : LEAKED) {
      if (lower.contains(leak)) {
        return "leaked-template";
      }
    }
    if (refusals.reject(Candidate.of(child)) != null) {
      return "refusal";
    }
    if (RougeL.score(parent.userTurn(), text) >= maxSimilarity) {
      return "no-change";
    }
    return null;
  }
}
