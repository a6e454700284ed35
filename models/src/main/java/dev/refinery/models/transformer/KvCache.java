package dev.refinery.models.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the positions already processed, so generating a token costs
 * one position instead of the whole prefix. Owns its arrays; close it when the sequence is done.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions already cached (including left padding of batched prompts). */
  public int length() {
    return length;
  }

  /** Appends this step's keys and values ([B, H, T, D]) of one layer and returns the whole history. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray allK = keys[layer] == null ? k : keys[layer].concat(k, 2);
    NDArray allV = values[layer] == null ? v : values[layer].concat(v, 2);
    allK.attach(manager);
    allV.attach(manager);
    if (keys[layer] != null) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = allK;
    values[layer] = allV;
    return new NDArray[] {allK, allV};
  }

  void advance(int positions) {
    length += positions;
  }

  @Override
  public void close() {
    manager.close();
  }
}
