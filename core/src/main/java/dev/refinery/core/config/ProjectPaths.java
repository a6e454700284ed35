package dev.refinery.core.config;

import java.nio.file.Path;

/** Local files named in conf: absolute as given, relative ones under the project home (REFINERY_HOME). */
public final class ProjectPaths {
  private ProjectPaths() {}

  public static Path resolve(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute()) {
      return p;
    }
    String home = System.getenv("REFINERY_HOME");
    if (home == null) {
      home = System.getProperty("refinery.home", ".");
    }
    return Path.of(home).resolve(p).normalize();
  }
}
