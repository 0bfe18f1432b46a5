package io.neuralake.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The networks that worker tasks keep in their executor JVM between averaging rounds of a fit, one
 * per (fit, worker, GPU), so that a round or an epoch only loads new parameters instead of parsing
 * and building the network again (a network's arrays live on the GPU it was built on). A worker
 * has one task at a time (per round, or per epoch), so no two tasks share a network. The least
 * recently used entries are dropped beyond a bound; a fit forgets its own at the end where the
 * driver is the executor (local mode).
 */
final class WorkerNetworks {

  private static final int MAX_NETWORKS = 32;
  /** The device of a task without a GPU. */
  static final int NO_GPU = -1;

  private static final Map<String, MultiLayerNetwork> NETWORKS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, MultiLayerNetwork> eldest) {
      return size() > MAX_NETWORKS;
    }
  };

  private WorkerNetworks() {}

  /** The network of {@code fit} for {@code worker} on {@code device}, built by {@code create} on first use. */
  static synchronized MultiLayerNetwork get(String fit, int worker, int device, Supplier<MultiLayerNetwork> create) {
    return NETWORKS.computeIfAbsent(fit + "/" + worker + "/" + device, key -> create.get());
  }

  /** Drops the networks of {@code fit} held in this JVM. */
  static synchronized void forget(String fit) {
    NETWORKS.keySet().removeIf(key -> key.startsWith(fit + "/"));
  }
}
