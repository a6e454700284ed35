package dev.refinery.models.transformer;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * PyTorch kernels that DJL 0.35.1 does not expose as operators, shipped as TorchScript modules: each
 * {@code NAME.pt} is a class-path resource written by the {@code NAME.py} beside it (with the torch that matches
 * DJL's libtorch) and committed, so that building Refinery needs no Python.
 */
public final class TorchScripts {
  private TorchScripts() {}

  /**
   * Loads the module {@code resource} (relative to {@code owner}'s package) onto {@code manager}'s device; the
   * manager owns it and frees it when closed.
   */
  public static PtSymbolBlock load(NDManager manager, Class<?> owner, String resource) {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " is missing beside " + owner.getName());
      }
      return JniUtils.loadModule((PtNDManager) manager, in, true, false); // onto the manager's device; no size prefix
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
