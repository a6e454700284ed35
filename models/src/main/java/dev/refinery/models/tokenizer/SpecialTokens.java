package dev.refinery.models.tokenizer;

import java.util.List;

/** The special tokens every Refinery tokenizer carries: end of text, ChatML turn markers, padding. */
public final class SpecialTokens {
  public static final String EOS = "<|endoftext|>";
  public static final String IM_START = "<|im_start|>";
  public static final String IM_END = "<|im_end|>";
  public static final String PAD = "<|pad|>";
  /** Char tokenizers map characters never seen in training here. */
  public static final String UNK = "<|unk|>";

  /** The default set, in id order after the learned vocabulary. */
  public static final List<String> CHAT = List.of(EOS, IM_START, IM_END, PAD);

  private SpecialTokens() {}
}
