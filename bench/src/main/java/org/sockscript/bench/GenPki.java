package org.sockscript.bench;

import java.nio.file.Path;

/** {@code GenPki <dir>}: makes the run's throwaway PKI (see {@link Pki}). */
public final class GenPki {
  public static void main(String[] args) throws Exception {
    Pki.generate(Path.of(args[0]));
  }
}
