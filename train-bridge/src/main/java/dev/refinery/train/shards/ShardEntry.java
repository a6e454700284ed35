package dev.refinery.train.shards;

import java.io.Serializable;

/**
 * One shard as the reader needs it: where it is, its shape, the checksum to verify it against, and its
 * {@link DocumentSpans} file (validation shards cut since spans were recorded; null otherwise).
 */
public record ShardEntry(String path, long sequences, int sequenceLength, long tokens, String checksum, String spans)
    implements Serializable {}
