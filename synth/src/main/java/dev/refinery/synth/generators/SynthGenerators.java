package dev.refinery.synth.generators;

import dev.refinery.core.RefineryException;
import dev.refinery.core.config.RefineryConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Every synth generator, one line each, built from the {@code synth} block. A new generator is its class
 * (implementing {@link SynthGenerator}), one line here and its test.
 */
public final class SynthGenerators {
  private static final List<Function<RefineryConfig, SynthGenerator>> ALL = List.of(
      SelfInstruct::new,
      Magpie::new,
      EvolInstruct::new,
      Distillation::new,
      PreferencePairs::new);

  private SynthGenerators() {}

  /** Every registered generator, built from the {@code synth} block, in registry order. */
  public static List<SynthGenerator> all(RefineryConfig synth) {
    return ALL.stream().map(f -> f.apply(synth)).toList();
  }

  /** The generators {@code synth.generators} names, in registry order; an unknown name stops the run. */
  public static List<SynthGenerator> chosen(RefineryConfig synth) {
    List<String> names = synth.getStringList("generators");
    List<SynthGenerator> all = all(synth);
    List<String> known = all.stream().map(SynthGenerator::name).toList();
    for (String n : names) {
      if (!known.contains(n)) {
        throw new RefineryException("synth.generators: unknown generator '" + n + "'; known: " + known);
      }
    }
    Set<String> wanted = Set.copyOf(names);
    List<SynthGenerator> out = new ArrayList<>();
    for (SynthGenerator g : all) {
      if (wanted.contains(g.name())) {
        out.add(g);
      }
    }
    return out;
  }
}
