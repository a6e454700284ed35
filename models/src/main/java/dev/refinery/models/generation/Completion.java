package dev.refinery.models.generation;

/**
 * One generated continuation.
 *
 * @param finishReason "stop" (end-of-text token or a stop string) or "length" (max tokens or context)
 */
public record Completion(String text, int[] tokens, int promptTokens, String finishReason) {}
