package dev.refinery.ingest.readers;

import java.io.Serializable;

/**
 * One file to ingest: its full Hadoop path, its path relative to the input root it was found under (the
 * locator of its documents, so ids do not depend on where a corpus lives), size and modification time.
 */
public record InputFile(String path, String relative, long size, long modifiedMillis) implements Serializable {}
