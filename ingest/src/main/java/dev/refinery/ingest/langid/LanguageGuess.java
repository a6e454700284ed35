package dev.refinery.ingest.langid;

/** A language code (ISO 639-1 where one exists, else 639-3; {@code und} when undetermined) and its score in [0,1]. */
public record LanguageGuess(String code, double score) {}
