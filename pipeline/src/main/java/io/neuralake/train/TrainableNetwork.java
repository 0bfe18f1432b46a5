package io.neuralake.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A DL4J network of either kind, a {@link MultiLayerNetwork} or a {@link ComputationGraph}, with what
 * the engine does to it: DL4J gives the two kinds no common type for their configurations, counters,
 * scores and outputs. The engine trains graphs of one input and one output ({@link #counters} checks).
 */
sealed interface TrainableNetwork permits TrainableNetwork.Layers, TrainableNetwork.Graph {

  /** Reads configurations' JSON to tell their kind. */
  ObjectMapper JSON = new ObjectMapper();

  /**
   * A new network of the configuration {@code configurationJson} describes, holding {@code parameters} as its
   * flat parameter view, or initialized as its configuration says where {@code parameters} is null. The JVM's
   * ND4J answers shape requests from {@link CachedShapeInfo} from then on.
   */
  static TrainableNetwork of(String configurationJson, INDArray parameters) {
    CachedShapeInfo.install();
    if (isGraph(configurationJson)) {
      ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(configurationJson));
      graph.init(parameters, false);
      return new Graph(graph);
    }
    MultiLayerNetwork network = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
    network.init(parameters, false);
    return new Layers(network);
  }

  /** Whether {@code configurationJson} describes a {@link ComputationGraph}: only a graph's has vertices. */
  static boolean isGraph(String configurationJson) {
    try {
      return JSON.readTree(configurationJson).has("vertices");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a DL4J network configuration: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code configurationJson} with its iteration and epoch counters set to these. */
  static String withCounters(String configurationJson, int iteration, int epoch) {
    if (isGraph(configurationJson)) {
      ComputationGraphConfiguration configuration = ComputationGraphConfiguration.fromJson(configurationJson);
      configuration.setIterationCount(iteration);
      configuration.setEpochCount(epoch);
      return configuration.toJson();
    }
    MultiLayerConfiguration configuration = MultiLayerConfiguration.fromJson(configurationJson);
    configuration.setIterationCount(iteration);
    configuration.setEpochCount(epoch);
    return configuration.toJson();
  }

  /**
   * The counters of {@code configurationJson}, which the engine reads before it trains: a graph must
   * have one input and one output, as the batches do.
   */
  static Counters counters(String configurationJson) {
    if (isGraph(configurationJson)) {
      ComputationGraphConfiguration configuration = ComputationGraphConfiguration.fromJson(configurationJson);
      if (configuration.getNetworkInputs().size() != 1 || configuration.getNetworkOutputs().size() != 1) {
        throw new IllegalArgumentException("the graph has inputs " + configuration.getNetworkInputs()
            + " and outputs " + configuration.getNetworkOutputs() + ", but the engine trains graphs of one input "
            + "and one output; merge the inputs with a MergeVertex and keep one output layer");
      }
      return new Counters(configuration.getIterationCount(), configuration.getEpochCount());
    }
    MultiLayerConfiguration configuration = MultiLayerConfiguration.fromJson(configurationJson);
    return new Counters(configuration.getIterationCount(), configuration.getEpochCount());
  }

  /**
   * What a network has trained so far, as its configuration counts it.
   *
   * @param iteration training steps
   * @param epoch epochs
   */
  record Counters(int iteration, int epoch) {}

  /** All parameters, as one flat view. */
  INDArray params();

  /** The updater's state, as one flat view; null for stateless updaters. */
  INDArray updaterState();

  /** Sets the counters that learning-rate schedules and Adam's bias correction read. */
  void setCounters(int iteration, int epoch);

  /** One training step on {@code batch}; returns its mean loss. */
  double fit(DataSet batch);

  /** The mean loss on {@code data}, in inference mode. */
  double score(DataSet data);

  /** The output for {@code features}, in inference mode. */
  INDArray output(INDArray features);

  /** A {@link MultiLayerNetwork}. */
  record Layers(MultiLayerNetwork network) implements TrainableNetwork {

    @Override
    public INDArray params() {
      return network.params();
    }

    @Override
    public INDArray updaterState() {
      return network.getUpdater().getStateViewArray();
    }

    @Override
    public void setCounters(int iteration, int epoch) {
      network.getLayerWiseConfigurations().setIterationCount(iteration);
      network.getLayerWiseConfigurations().setEpochCount(epoch);
    }

    @Override
    public double fit(DataSet batch) {
      network.fit(batch);
      return network.score();
    }

    @Override
    public double score(DataSet data) {
      return network.score(data, false);
    }

    @Override
    public INDArray output(INDArray features) {
      return network.output(features, false);
    }
  }

  /** A {@link ComputationGraph} of one input and one output. */
  record Graph(ComputationGraph graph) implements TrainableNetwork {

    @Override
    public INDArray params() {
      return graph.params();
    }

    @Override
    public INDArray updaterState() {
      return graph.getUpdater().getStateViewArray();
    }

    @Override
    public void setCounters(int iteration, int epoch) {
      graph.getConfiguration().setIterationCount(iteration);
      graph.getConfiguration().setEpochCount(epoch);
    }

    @Override
    public double fit(DataSet batch) {
      graph.fit(batch);
      return graph.score();
    }

    @Override
    public double score(DataSet data) {
      return graph.score(data, false);
    }

    @Override
    public INDArray output(INDArray features) {
      return graph.outputSingle(false, features);
    }
  }
}
