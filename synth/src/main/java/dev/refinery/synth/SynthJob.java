package dev.refinery.synth;

import dev.refinery.core.config.ProjectPaths;
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
import dev.refinery.synth.generators.Distillation;
import dev.refinery.synth.generators.EvolInstruct;
import dev.refinery.synth.generators.Generation;
import dev.refinery.synth.generators.Magpie;
import dev.refinery.synth.generators.PreferencePairs;
import dev.refinery.synth.generators.Responses;
import dev.refinery.synth.generators.SelfInstruct;
import dev.refinery.synth.prompts.PromptTemplates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Wires the generators in data-flow order: self-instruct and Magpie make instructions, the instruction
 * filters and dedup clean them, Evol-Instruct evolves a share of them, distillation prompts join, every
 * instruction gets a response (the teacher's for distillation), the response filters decide, and preference
 * pairs are drawn for the kept ones. Plain Java on the driver; the LLM calls run on Spark executors through
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
    Set<String> generators = Set.copyOf(synth.getStringList("generators"));
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

    List<Instruction> made = new ArrayList<>();
    if (generators.contains(SelfInstruct.NAME)) {
      RefineryConfig s = synth.section("self-instruct");
      Map<String, List<String>> seeds = new TreeMap<>();
      for (String lang : languages) {
        seeds.put(lang, SeedTasks.load(ProjectPaths.resolve(s.getString("seed-tasks." + lang))));
      }
      made.addAll(new SelfInstruct(s.getInt("rounds"), s.getInt("prompts-per-round"), s.getInt("human-examples"),
          s.getInt("machine-examples"), s.getDouble("max-rouge-l")).generate(g, seeds));
    }
    if (generators.contains(Magpie.NAME)) {
      RefineryConfig m = synth.section("magpie");
      Map<String, String> templates = new TreeMap<>();
      for (String lang : languages) {
        String template = m.getString("pre-query-template." + lang);
        templates.put(lang, template.isEmpty() ? g.templates().render("magpie", lang, Map.of()) + "\n" : template);
      }
      made.addAll(new Magpie(m.getInt("count"), m.getDouble("temperature"), m.getStringList("stop"))
          .generate(g, templates));
    }
    List<Instruction> pool = dedup.keepFirst(passing(made, instructionFilters, rejects), List.of(), rejects);

    if (generators.contains(EvolInstruct.NAME)) {
      RefineryConfig e = synth.section("evol-instruct");
      List<Instruction> roots = new ArrayList<>();
      for (String lang : languages) {
        pool.stream().filter(i -> i.lang().equals(lang)).sorted(Comparator.comparing(Instruction::id))
            .limit(e.getInt("max-roots")).forEach(roots::add);
      }
      List<Instruction> evolved = new EvolInstruct(e.getInt("generations"), e.getDouble("max-similarity"), refusals)
          .evolve(g, roots);
      pool.addAll(dedup.keepFirst(passing(evolved, instructionFilters, rejects), pool, rejects));
    }

    String teacher = model;
    List<Instruction> distill = new ArrayList<>();
    if (generators.contains(Distillation.NAME)) {
      RefineryConfig d = synth.section("distill");
      teacher = d.getString("teacher-model").isEmpty() ? model : d.getString("teacher-model");
      for (Object o : d.raw().getList("inputs").unwrapped()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> input = (Map<String, Object>) o;
        Path file = ProjectPaths.resolve(String.valueOf(input.get("path")));
        String lang = String.valueOf(input.getOrDefault("lang", "en"));
        int limit = input.containsKey("limit") ? ((Number) input.get("limit")).intValue() : 0;
        distill.addAll(Distillation.prompts(file, lang, limit));
      }
      distill = dedup.keepFirst(passing(distill, instructionFilters, rejects), pool, rejects);
    }

    List<Instruction> all = new ArrayList<>(pool);
    all.addAll(distill);
    String teacherModel = teacher;
    List<SynthOutput.Example> examples = respond(g,
        i -> i.generator().equals(Distillation.NAME) ? teacherModel : model, all, responseFilters);
    examples.sort(Comparator.comparing(x -> x.instruction().id()));

    List<PreferencePairs.Pair> pairs = List.of();
    if (generators.contains(PreferencePairs.NAME)) {
      RefineryConfig p = synth.section("preferences");
      int max = p.getInt("max-prompts");
      List<Instruction> prompts = examples.stream().map(SynthOutput.Example::instruction)
          .filter(i -> !i.generator().equals(Distillation.NAME))
          .limit(max > 0 ? max : Long.MAX_VALUE).toList();
      pairs = new PreferencePairs(p.getInt("samples"), p.getDouble("temperature"), p.getInt("min-margin"))
          .build(g, prompts, responseFilters);
    }
    return new SynthOutput(examples, pairs, rejects, calls.usage());
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
