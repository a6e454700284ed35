package dev.refinery.mixing.labels;

import java.io.Serializable;

/**
 * A document's domain and where it came from: {@code rule:host=wikipedia.org}, {@code rule:url=/wiki/},
 * {@code source:NAME} (fixed by the mixture source), {@code model:topic-classifier} or {@code default}.
 */
public record DomainLabel(String domain, String origin) implements Serializable {
  public static final String DEFAULT_ORIGIN = "default";
}
