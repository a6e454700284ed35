package dev.refinery.synth;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.core.decont.EvaluationSets;
import dev.refinery.synth.cache.LlmCalls;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.Sampling;
import dev.refinery.synth.filters.Candidate;
import dev.refinery.synth.filters.ContaminationFilter;
import dev.refinery.synth.filters.FilterChain;
import dev.refinery.synth.filters.LanguageMatchFilter;
import dev.refinery.synth.filters.LengthFilter;
import dev.refinery.synth.filters.NearDuplicates;
import dev.refinery.synth.filters.RefusalFilter;
import dev.refinery.synth.filters.TruncationFilter;
import dev.refinery.synth.generators.Generation;
import dev.refinery.synth.generators.GeneratorContext;
import dev.refinery.synth.generators.PreferencePairs;
import dev.refinery.synth.generators.Responses;
import dev.refinery.synth.generators.SynthGenerator;
import dev.refinery.synth.generators.SynthGenerator.Phase;
import dev.refinery.synth.generators.SynthGenerators;
import dev.refinery.synth.prompts.PromptTemplates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs the chosen generators ({@link SynthGenerators}) phase by phase: the INSTRUCTIONS ones (self-instruct,
 * Magpie) make instructions, the instruction filters and dedup clean them, EVOLVE ones (Evol-Instruct) evolve
 * a share of them, PROMPTS ones (distillation) add given prompts, every instruction gets a response (from
 * its generator's responder), the response filters decide, and PAIRS ones (preference pairs) draw pairs for
 * the kept generated instructions. Plain Java on the driver; the LLM calls run on Spark executors through
 * {@link LlmCalls} and its cache.
 */
public final class SynthJob {
  private final RefineryConfig config;
  private final RefineryConfig synth;
  private final LlmCalls calls;

  public SynthJob(RefineryConfig config, LlmCalls calls) {
    this.config = config;
    this.synth = config.section("synth");
    this.calls = calls;
  }

  public SynthOutput run() {
    List<Reject> rejects = new ArrayList<>();
    String model = synth.getString("endpoint.model");
    Generation g = new Generation(calls, new PromptTemplates(), model, Sampling.from(synth.section("sampling")),
        synth.getLong("seed"), rejects);
    List<String> languages = synth.getStringList("languages");
    RefineryConfig f = synth.section("filters");
    RefusalFilter refusals = new RefusalFilter(f.getStringList("refusal-patterns"));
    LanguageMatchFilter language = new LanguageMatchFilter(f.getDouble("min-language-share"));
    LengthFilter length = new LengthFilter(f.getInt("min-instruction-chars"), f.getInt("max-instruction-chars"),
        f.getInt("min-response-chars"), f.getInt("max-response-chars"));
    ContaminationFilter decontamination = new ContaminationFilter(EvaluationSets.load(config));
    FilterChain instructionFilters = new FilterChain(List.of(length, language, refusals, decontamination));
    FilterChain responseFilters = new FilterChain(
        List.of(new TruncationFilter(), length, language, refusals, decontamination));
    NearDuplicates dedup = new NearDuplicates(f.getDouble("near-duplicate-jaccard"));

    GeneratorContext ctx = new GeneratorContext(g, languages, refusals, responseFilters);
    List<SynthGenerator> chosen = SynthGenerators.chosen(synth);
    Map<String, SynthGenerator> byName = new HashMap<>();
    chosen.forEach(x -> byName.put(x.name(), x));

    List<Instruction> made = new ArrayList<>();
    for (SynthGenerator x : of(chosen, Phase.INSTRUCTIONS)) {
      made.addAll(x.instructions(ctx, List.of()));
    }
    List<Instruction> pool = dedup.keepFirst(passing(made, instructionFilters, rejects), List.of(), rejects);
    for (SynthGenerator x : of(chosen, Phase.EVOLVE)) {
      List<Instruction> evolved = x.instructions(ctx, List.copyOf(pool));
      pool.addAll(dedup.keepFirst(passing(evolved, instructionFilters, rejects), pool, rejects));
    }
    List<Instruction> all = new ArrayList<>(pool);
    for (SynthGenerator x : of(chosen, Phase.PROMPTS)) {
      List<Instruction> given = x.instructions(ctx, List.copyOf(pool));
      all.addAll(dedup.keepFirst(passing(given, instructionFilters, rejects), all, rejects));
    }

    Function<Instruction, String> modelOf = i -> byName.containsKey(i.generator())
        ? byName.get(i.generator()).responder(model) : model;
    List<SynthOutput.Example> examples = respond(g, modelOf, all, responseFilters);
    examples.sort(Comparator.comparing(x -> x.instruction().id()));

    List<Instruction> answered = examples.stream().map(SynthOutput.Example::instruction)
        .filter(i -> !byName.containsKey(i.generator()) || byName.get(i.generator()).phase() != Phase.PROMPTS)
        .toList();
    List<PreferencePairs.Pair> pairs = new ArrayList<>();
    for (SynthGenerator x : of(chosen, Phase.PAIRS)) {
      pairs.addAll(x.pairs(ctx, answered));
    }
    return new SynthOutput(examples, pairs, rejects, calls.usage());
  }

  private static List<SynthGenerator> of(List<SynthGenerator> generators, Phase phase) {
    return generators.stream().filter(x -> x.phase() == phase).toList();
  }

  private static List<Instruction> passing(List<Instruction> in, FilterChain filters, List<Reject> rejects) {
    List<Instruction> out = new ArrayList<>();
    for (Instruction i : in) {
      String reason = filters.reject(Candidate.of(i));
      if (reason == null) {
        out.add(i);
      } else {
        rejects.add(Reject.of(i, "instruction-" + reason, i.userTurn()));
      }
    }
    return out;
  }

  private static List<SynthOutput.Example> respond(Generation g, Function<Instruction, String> modelOf,
      List<Instruction> instructions, FilterChain filters) {
    List<SynthOutput.Example> out = new ArrayList<>();
    if (instructions.isEmpty()) {
      return out;
    }
    Map<String, LlmResponse> responses = Responses.respond(g, modelOf, instructions);
    for (Instruction i : instructions) {
      LlmResponse r = responses.get(i.id());
      if (r == null) {
        continue;
      }
      String reason = filters.reject(new Candidate(i, r.text(), r.finishReason()));
      if (reason == null) {
        out.add(new SynthOutput.Example(i, r, modelOf.apply(i)));
      } else {
        g.rejects().add(Reject.of(i, "response-" + reason, r.text()));
      }
    }
    return out;
  }
}
