package io.neuralake.estimators;

import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.neuralake.data.OffHeapFloats;
import io.neuralake.data.TensorShape;
import io.neuralake.persist.AtomicDirectory;
import io.neuralake.persist.NetworkFiles;
import io.neuralake.train.NetworkState;
import io.neuralake.train.TrainingHistory;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Option;

/**
 * A trained network as a model carries it: its state, its history and its sizes. The DL4J
 * network is rebuilt lazily wherever the model is deserialized (on each executor).
 */
public final class FittedNetwork implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final String DATA = "data";

  private final NetworkState state;
  private final TrainingHistory history;
  private final long[] inputShape;
  private final int numOutputs;
  private transient MultiLayerNetwork network;

  FittedNetwork(NetworkState state, TrainingHistory history, long[] inputShape, int numOutputs) {
    this.state = state;
    this.history = history;
    this.inputShape = inputShape.clone();
    this.numOutputs = numOutputs;
  }

  NetworkState state() {
    return state;
  }

  TrainingHistory history() {
    return history;
  }

  long[] inputShape() {
    return inputShape.clone();
  }

  int numFeatures() {
    return Math.toIntExact(TensorShape.size(inputShape));
  }

  int numOutputs() {
    return numOutputs;
  }

  /** The network's outputs for one example. */
  synchronized double[] output(Vector features) {
    if (network == null) {
      network = state.withoutUpdaterState().toNetwork();
    }
    if (features.size() != numFeatures()) {
      throw new IllegalArgumentException("the model expects feature vectors of size " + numFeatures()
          + " but got one of size " + features.size());
    }
    float[] values = new float[numFeatures()];
    copyFloats(features, values, 0);
    return forward(network, values, 1, numFeatures())[0];
  }

  /** Copies {@code vector}'s values as floats into {@code target} from {@code offset}. */
  static void copyFloats(Vector vector, float[] target, int offset) {
    double[] values = vector.toArray();
    for (int i = 0; i < values.length; i++) {
      target[offset + i] = (float) values[i];
    }
  }

  /**
   * The outputs of {@code network} for {@code rows} examples of {@code numFeatures} values each, one
   * row per example; per-step outputs step by step.
   */
  static double[][] forward(MultiLayerNetwork network, float[] features, int rows, int numFeatures) {
    INDArray output = network.output(OffHeapFloats.create(features, rows, numFeatures), false);
    if (output.rank() == 3) {
      output = output.permute(0, 2, 1).dup('c');
    }
    float[] values = OffHeapFloats.of(output);
    int width = values.length / rows;
    double[][] outputs = new double[rows][width];
    for (int row = 0; row < rows; row++) {
      for (int i = 0; i < width; i++) {
        outputs[row][i] = values[row * width + i];
      }
    }
    return outputs;
  }

  /** Saves {@code stage}'s metadata and this network under {@code path}, atomically. */
  void save(Params stage, String path, SparkContext sc) throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("inputShape", inputShape);
    info.put("numOutputs", numOutputs);
    info.put("savedAt", Instant.now().toString());
    info.put("sparkVersion", sc.version());
    info.put("neuralakeVersion", String.valueOf(FittedNetwork.class.getPackage().getImplementationVersion()));
    AtomicDirectory.write(new Path(path), sc.hadoopConfiguration(), dir -> {
      DefaultParamsWriter.saveMetadata(stage, dir.toString(), sc, Option.empty(), Option.empty());
      NetworkFiles.write(state, history, info, new Path(dir, DATA), sc.hadoopConfiguration());
    });
  }

  /** Loads the network saved under {@code path}; the caller reads the metadata. */
  static FittedNetwork load(String path, SparkContext sc) throws IOException {
    Path data = new Path(path, DATA);
    JsonNode info = NetworkFiles.readInfo(data, sc.hadoopConfiguration());
    return new FittedNetwork(NetworkFiles.readNetwork(data, sc.hadoopConfiguration()),
        NetworkFiles.readHistory(data, sc.hadoopConfiguration()),
        longs(info.get("inputShape")), info.get("numOutputs").asInt());
  }

  private static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  /** Loads a model of {@code modelClass}: metadata, params and network. */
  static <M extends Params> M loadModel(String path, SparkContext sc, Class<M> modelClass, ModelFactory<M> factory) {
    DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc, modelClass.getName());
    try {
      M model = factory.create(metadata.uid(), load(path, sc));
      metadata.getAndSetParams(model, Option.empty());
      return model;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot load " + modelClass.getSimpleName() + " from " + path, e);
    }
  }

  /** Makes a model from its uid and network. */
  @FunctionalInterface
  interface ModelFactory<M> {
    M create(String uid, FittedNetwork network);
  }
}
