package io.neuralake.train;

import java.io.Serializable;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.neuralake.data.OffHeapFloats;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network as plain data: its DL4J configuration (JSON, including the iteration and epoch
 * counts), its parameters and its updater state as flat float arrays. This is what training
 * rounds ship to workers, what models carry into tasks and what the model format stores.
 *
 * @param configurationJson the DL4J {@link MultiLayerConfiguration} as JSON
 * @param parameters all parameters in DL4J's flattened order
 * @param updaterState the updater's state in DL4J's flattened order; empty for stateless updaters
 */
@DefaultSerializer(JavaSerializer.class)
public record NetworkState(String configurationJson, float[] parameters, float[] updaterState)
    implements Serializable {

  /** Captures a network (copies its arrays). */
  public static NetworkState of(MultiLayerNetwork network) {
    INDArray state = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
    return new NetworkState(network.getLayerWiseConfigurations().toJson(),
        toFloats(network.params()), state == null ? new float[0] : toFloats(state));
  }

  /** A new, initialized network holding these parameters and this updater state. */
  public MultiLayerNetwork toNetwork() {
    MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
    network.init(OffHeapFloats.create(parameters, 1, parameters.length), false);
    if (updaterState.length > 0) {
      INDArray view = network.getUpdater().getStateViewArray();
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
