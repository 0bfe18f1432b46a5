package io.neuralake.jobs;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import io.neuralake.estimators.NeuralNetClassifier;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.PlainDl4j;
import io.neuralake.testdata.FashionMnist;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * What every run of the bench shares: training rows, epochs, batch size, averaging frequency,
 * workers, the network and its input shape, and how many whole fits each JVM run makes to warm up
 * before the timed ones, and how many timed ones.
 */
record BenchSettings(int rows, int epochs, int batchSize, int averaging, int workers, NetworkSpec network,
                     long[] inputShape, int warmupFits, int repeats) {

  /**
   * The bench's networks, each with its input shape and its default number of warm-up fits; PyTorch has a
   * twin of each by the same name. A local-cluster's executor JVMs each see half the calls of {@code local[2]}'s
   * one JVM and keep compiling for several fits of the MLP (its fits are 3-4 s); a CNN fit is about 25 times
   * the work, and the compilers are done within its first fits.
   */
  enum Model {
    MLP("dense(256, relu) -> dense(128, relu)", 5, FashionMnist.PIXELS),
    CNN("conv(32, 3, padding=same) -> pool(max, 2) -> conv(64, 3, padding=same) -> pool(max, 2) -> dense(128) "
        + "-> dropout(0.3)", 2, 1, 28, 28);

    private final NetworkSpec network;
    private final int warmupFits;
    private final long[] inputShape;

    Model(String network, int warmupFits, long... inputShape) {
      this.network = NetworkSpec.parse(network);
      this.warmupFits = warmupFits;
      this.inputShape = inputShape;
    }
  }

  BenchSettings {
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
    }
    if (warmupFits < 0) {
      throw new IllegalArgumentException("--warmup-fits must be >= 0, got " + warmupFits);
    }
  }

  static BenchSettings of(Map<String, String> options) {
    Model preset = Model.valueOf(options.getOrDefault("model", "mlp").toUpperCase());
    NetworkSpec network = options.containsKey("network") ? NetworkSpec.parse(options.get("network")) : preset.network;
    long[] inputShape = options.containsKey("input-shape") ? Arrays.stream(options.get("input-shape")
        .split(",")).mapToLong(size -> Long.parseLong(size.strip())).toArray()
        : options.containsKey("network") ? new long[] {FashionMnist.PIXELS} : preset.inputShape;
    return new BenchSettings(Integer.parseInt(options.getOrDefault("rows", "60000")),
        Integer.parseInt(options.getOrDefault("epochs", "3")),
        Integer.parseInt(options.getOrDefault("batch-size", "64")),
        Integer.parseInt(options.getOrDefault("averaging-frequency",
            String.valueOf(new NeuralNetClassifier().getAveragingFrequency()))),
        Integer.parseInt(options.getOrDefault("workers", "2")), network, inputShape,
        Integer.parseInt(options.getOrDefault("warmup-fits", String.valueOf(preset.warmupFits))),
        Integer.parseInt(options.getOrDefault("repeats", "3")));
  }

  /** The bench model this network and input shape are, if they are one. */
  Optional<Model> model() {
    return Arrays.stream(Model.values())
        .filter(model -> model.network.equals(network) && Arrays.equals(model.inputShape, inputShape))
        .findFirst();
  }

  NeuralNetClassifier classifier() {
    return new NeuralNetClassifier().setNetwork(network).setInputShape(Arrays.stream(inputShape)
            .mapToInt(Math::toIntExact).toArray()).setEpochs(epochs).setBatchSize(batchSize).setNumWorkers(workers)
        .setAveragingFrequency(averaging).setSeed(1);
  }

  /** The network as Neuralake builds it for DL4J, with its updater and layer classes. */
  MultiLayerConfiguration neuralakeDl4j() {
    return network.toDl4j(inputShape, OutputHead.classification(FashionMnist.CLASSES), Hyperparameters.defaults(1));
  }

  /** The network in plain DL4J, with DL4J's own updater and layer classes. */
  MultiLayerConfiguration plainDl4j() {
    return PlainDl4j.of(neuralakeDl4j());
  }

  /** The bench's training rows, cached. */
  Dataset<Row> trainSplit(SparkSession spark) {
    Dataset<Row> train = FashionMnist.load(spark, FashionMnist.Split.TRAIN, rows).cache();
    train.count();
    return train;
  }

  /** The test split, cached. */
  static Dataset<Row> testSplit(SparkSession spark) {
    Dataset<Row> test = FashionMnist.load(spark, FashionMnist.Split.TEST, 0).cache();
    test.count();
    return test;
  }
}
