package io.neuralake.train;

import java.io.Serializable;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.neuralake.data.OffHeapFloats;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network as plain data: its DL4J configuration (JSON, including the iteration and epoch
 * counts), its parameters and its updater state as flat float arrays. This is what training
 * rounds ship to workers, what models carry into tasks and what the model format stores. The
 * network is a {@link MultiLayerNetwork} or a {@link ComputationGraph}; the engine trains graphs of
 * one input and one output.
 *
 * @param configurationJson the DL4J {@link org.deeplearning4j.nn.conf.MultiLayerConfiguration} or
 *     {@link org.deeplearning4j.nn.conf.ComputationGraphConfiguration} as JSON
 * @param parameters all parameters in DL4J's flattened order
 * @param updaterState the updater's state in DL4J's flattened order; empty for stateless updaters
 */
@DefaultSerializer(JavaSerializer.class)
public record NetworkState(String configurationJson, float[] parameters, float[] updaterState)
    implements Serializable {

  /** Captures a network (copies its arrays). */
  public static NetworkState of(MultiLayerNetwork network) {
    return of(network.getLayerWiseConfigurations().toJson(), network.params(), network.getUpdater());
  }

  /** Captures a graph (copies its arrays). */
  public static NetworkState of(ComputationGraph graph) {
    return of(graph.getConfiguration().toJson(), graph.params(), graph.getUpdater());
  }

  private static NetworkState of(String configurationJson, INDArray parameters, Updater updater) {
    INDArray state = updater == null ? null : updater.getStateViewArray();
    return new NetworkState(configurationJson, toFloats(parameters), state == null ? new float[0] : toFloats(state));
  }

  /**
   * This state without its updater state, which only training reads: what scoring and evaluation
   * ship to tasks. Its networks build in a fraction of the time (about 0.7 against 3-7 ms for the
   * bench's MLP trained with Adam, whose state is twice its parameters).
   */
  public NetworkState withoutUpdaterState() {
    return new NetworkState(configurationJson, parameters, new float[0]);
  }

  /** Whether this is a {@link ComputationGraph}'s state. */
  public boolean isGraph() {
    return TrainableNetwork.isGraph(configurationJson);
  }

  /** A new, initialized {@link MultiLayerNetwork} holding these parameters and this updater state. */
  public MultiLayerNetwork toNetwork() {
    if (toTrainable() instanceof TrainableNetwork.Layers layers) {
      return layers.network();
    }
    throw new IllegalStateException("this is a ComputationGraph's state: use toGraph()");
  }

  /** A new, initialized {@link ComputationGraph} holding these parameters and this updater state. */
  public ComputationGraph toGraph() {
    if (toTrainable() instanceof TrainableNetwork.Graph graph) {
      return graph.graph();
    }
    throw new IllegalStateException("this is a MultiLayerNetwork's state: use toNetwork()");
  }

  /** A new network of either kind holding these parameters and this updater state. */
  TrainableNetwork toTrainable() {
    TrainableNetwork network = TrainableNetwork.of(configurationJson,
        OffHeapFloats.create(parameters, 1, parameters.length));
    if (updaterState.length > 0) {
      INDArray view = network.updaterState();
      if (view == null || view.length() != updaterState.length) {
        throw new IllegalStateException("updater state has " + updaterState.length
            + " values but the network's updater expects " + (view == null ? 0 : view.length()));
      }
      OffHeapFloats.copy(updaterState, view);
    }
    return network;
  }

  static float[] toFloats(INDArray array) {
    return OffHeapFloats.of(array);
  }
}
