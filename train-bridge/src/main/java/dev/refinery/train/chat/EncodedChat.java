package dev.refinery.train.chat;

/** A conversation as token ids, {@code trained[i]} true where token i is part of an assistant answer (learned). */
public record EncodedChat(String id, int[] tokens, boolean[] trained) {}
