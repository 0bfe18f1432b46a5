package io.neuralake.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.SparkContext;

/**
 * The networks that worker tasks keep in their executor JVM between averaging rounds of a fit, one
 * per (fit, worker, GPU), so that a round or an epoch only loads new parameters instead of parsing
 * and building the network again (a network's arrays live on the GPU it was built on). A worker
 * has one task at a time (per round, or per epoch), so no two tasks share a network. The least
 * recently used entries are dropped beyond a bound, and a fit forgets its own at its end: the
 * workers of its last epoch drop them where they are, or, where its epochs did not all run as barrier
 * jobs on the same executors, a task on every executor does. A finished fit's networks would
 * otherwise hold the executors' off-heap memory (about 60 MB each for the bench's CNN, with DL4J's
 * workspaces) through the fits that follow, as a CrossValidator's do.
 */
final class WorkerNetworks {

  private static final int MAX_NETWORKS = 32;
  /** The device of a task without a GPU. */
  static final int NO_GPU = -1;

  private static final Map<String, TrainableNetwork> NETWORKS = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TrainableNetwork> eldest) {
      return size() > MAX_NETWORKS;
    }
  };

  private WorkerNetworks() {}

  /**
   * The network of {@code fit} for {@code worker} on {@code device}, built from {@code configurationJson}
   * on first use; a {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} gets an {@link OwnGradientUpdater}.
   */
  static synchronized TrainableNetwork get(String fit, int worker, int device, String configurationJson) {
    return NETWORKS.computeIfAbsent(fit + "/" + worker + "/" + device, key -> {
      TrainableNetwork network = TrainableNetwork.of(configurationJson, null);
      if (network instanceof TrainableNetwork.Layers layers) {
        OwnGradientUpdater.install(layers.network());
      }
      return network;
    });
  }

  /** Drops the networks of {@code fit} held in this JVM. */
  static synchronized void forget(String fit) {
    NETWORKS.keySet().removeIf(key -> key.startsWith(fit + "/"));
  }

  /**
   * Drops the networks of {@code fit} on each of the executors of {@code sc} by a task that prefers
   * it; in local mode, where Spark names no executors, {@link #forget} in the driver does it.
   */
  static void forgetOnExecutors(SparkContext sc, String fit) {
    String[] executors = WorkerPartitions.executors(sc);
    if (executors.length > 0) {
      WorkerPartitions.onePerExecutor(sc, executors).foreach(executor -> forget(fit));
    }
  }

  /** How many networks this JVM holds. */
  static synchronized int held() {
    return NETWORKS.size();
  }
}
