package dev.refinery.train.shards;

import java.io.Serializable;

/** One shard as the reader needs it: where it is, its shape, and the checksum to verify it against. */
public record ShardEntry(String path, long sequences, int sequenceLength, long tokens, String checksum)
    implements Serializable {}
