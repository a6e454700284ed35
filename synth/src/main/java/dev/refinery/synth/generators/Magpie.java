package dev.refinery.synth.generators;

import dev.refinery.core.config.RefineryConfig;
import dev.refinery.synth.Instruction;
import dev.refinery.synth.Reject;
import dev.refinery.synth.Seeds;
import dev.refinery.synth.client.LlmRequest;
import dev.refinery.synth.client.LlmResponse;
import dev.refinery.synth.client.Sampling;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Magpie (Xu et al. 2024): an aligned model, given only its chat template up to the start of a user turn
 * (the pre-query template), writes a plausible user query itself. Sent as a raw completion with a high
 * temperature and the end-of-turn marker as stop; the queries then get responses like any instruction.
 */
public final class Magpie implements SynthGenerator {
  public static final String NAME = "magpie";

  private final int count;
  private final double temperature;
  private final List<String> stop;
  private final RefineryConfig templates;

  public Magpie(RefineryConfig synth) {
    RefineryConfig m = synth.section(NAME);
    this.count = m.getInt("count");
    this.temperature = m.getDouble("temperature");
    this.stop = List.copyOf(m.getStringList("stop"));
    this.templates = m;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Phase phase() {
    return Phase.INSTRUCTIONS;
  }

  /** Each language's pre-query template: the configured one, else the bundled magpie.LANG.txt. */
  @Override
  public List<Instruction> instructions(GeneratorContext ctx, List<Instruction> pool) {
    Map<String, String> preQuery = new TreeMap<>();
    for (String lang : ctx.languages()) {
      String template = templates.getString("pre-query-template." + lang);
      preQuery.put(lang, template.isEmpty() ? ctx.g().templates().render(NAME, lang, Map.of()) + "\n" : template);
    }
    return generate(ctx.g(), preQuery);
  }

  /**
   * Queries per language; {@code preQueryByLang} holds each language's template text, ending where the
   * user's words would begin. One bulk call for all languages.
   */
  List<Instruction> generate(Generation g, Map<String, String> preQueryByLang) {
    Sampling s = g.sampling().withTemperature(temperature).withStop(stop);
    List<LlmRequest> requests = new ArrayList<>();
    List<String> langs = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(preQueryByLang).entrySet()) {
      for (int i = 0; i < count; i++) {
        requests.add(LlmRequest.completion(g.model(), e.getValue(), s, Seeds.of(g.seed(), NAME, e.getKey(), i)));
        langs.add(e.getKey());
      }
    }
    Map<String, LlmResponse> answers = g.calls().complete(requests);
    List<Instruction> out = new ArrayList<>();
    for (int k = 0; k < requests.size(); k++) {
      LlmRequest req = requests.get(k);
      String lang = langs.get(k);
      LlmResponse r = answers.get(req.key());
      Instruction placeholder = Instruction.of(NAME, lang, "(magpie query, seed " + req.seed() + ")", "", null);
      if (!g.usable(placeholder, r, NAME)) {
        continue;
      }
      String query = cutAtStop(r.text()).strip();
      Instruction q = Instruction.of(NAME, lang, query, "", null);
      if (r.truncated()) {
        g.rejects().add(Reject.of(q, NAME + ":truncated", query));
      } else if (query.isEmpty()) {
        g.rejects().add(Reject.of(placeholder, NAME + ":empty-query", r.text()));
      } else {
        out.add(q);
      }
    }
    return out;
  }

  /** Servers that ignore {@code stop} return the whole turn; keep only the user's part. */
  private String cutAtStop(String text) {
    int end = text.length();
    for (String s : stop) {
      int at = text.indexOf(s);
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    return text.substring(0, end);
  }
}
