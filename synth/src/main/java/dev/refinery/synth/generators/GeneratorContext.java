package dev.refinery.synth.generators;

import dev.refinery.synth.filters.FilterChain;
import dev.refinery.synth.filters.RefusalFilter;
import java.util.List;

/**
 * What a {@link SynthGenerator} gets besides its own settings: the LLM calls and templates ({@link Generation}),
 * the run's languages, the refusal check and the response filters every answer passes.
 */
public record GeneratorContext(Generation g, List<String> languages, RefusalFilter refusals,
    FilterChain responseFilters) {}
