package dev.refinery.ingest.readers;

import dev.refinery.core.RefineryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files under the configured input roots (files or folders, read recursively, on any Hadoop file
 * system), each with its path relative to its root. Hidden and marker files (".x", "_SUCCESS") are skipped,
 * as Spark's own readers do.
 */
public final class InputFiles {
  public static final String KEY = "ingest.inputs";

  private InputFiles() {}

  /** Throws a RefineryException naming the key when the list is empty or a root does not exist. */
  public static void check(List<String> roots, Configuration hadoop) {
    if (roots.isEmpty()) {
      throw new RefineryException(KEY + " is empty: set it to the files or folders to ingest, e.g. --set "
          + KEY + "=[\"demo/corpus\"]");
    }
    for (String root : roots) {
      try {
        Path p = new Path(root);
        if (!p.getFileSystem(hadoop).exists(p)) {
          throw new RefineryException(KEY + " names '" + root + "', which does not exist; fix or remove it");
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new RefineryException(KEY + " names '" + root + "', which cannot be read: " + e.getMessage());
      }
    }
  }

  public static List<InputFile> list(List<String> roots, Configuration hadoop) {
    Map<String, InputFile> byPath = new LinkedHashMap<>();
    for (String root : roots) {
      try {
        Path rootPath = new Path(root);
        FileSystem fs = rootPath.getFileSystem(hadoop);
        Path qualified = fs.makeQualified(rootPath);
        FileStatus status = fs.getFileStatus(qualified);
        if (status.isFile()) {
          byPath.putIfAbsent(qualified.toString(), new InputFile(qualified.toString(), qualified.getName(),
              status.getLen(), status.getModificationTime()));
          continue;
        }
        String prefix = qualified.toString().endsWith("/") ? qualified.toString() : qualified + "/";
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(qualified, true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          String path = f.getPath().toString();
          String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : f.getPath().getName();
          if (hidden(relative)) {
            continue;
          }
          byPath.putIfAbsent(path, new InputFile(path, relative, f.getLen(), f.getModificationTime()));
        }
      } catch (IOException e) {
        throw new RefineryException(KEY + ": cannot list '" + root + "': " + e.getMessage());
      }
    }
    List<InputFile> files = new ArrayList<>(byPath.values());
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return files;
  }

  private static boolean hidden(String relative) {
    for (String part : relative.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) {
        return true;
      }
    }
    return false;
  }
}
