package io.neuralake.train;

import static io.neuralake.testing.FloatArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.LabelEncoding;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The engine trains a DL4J {@link ComputationGraph} it is handed, here one with a skip connection that a
 * layer stack cannot express: against single-JVM training of the same graph, and on held-out digits.
 */
class ComputationGraphTrainingTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);

  private static SparkSession spark;
  private static Dataset<Row> digits;

  @BeforeAll
  static void load() {
    spark = LocalSpark.session();
    digits = Digits.load(spark).cache();
  }

  /** input → hidden1 → hidden2, and the output layer reads hidden1 and hidden2 merged. */
  private static ComputationGraph skipGraph(IUpdater updater, String... inputs) {
    ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder()
        .seed(12345).updater(updater).weightInit(WeightInit.XAVIER)
        .graphBuilder()
        .addInputs(inputs)
        .addLayer("hidden1", new DenseLayer.Builder().nIn(Digits.PIXELS).nOut(32).activation(Activation.RELU).build(),
            inputs)
        .addLayer("hidden2", new DenseLayer.Builder().nIn(32).nOut(16).activation(Activation.RELU).build(), "hidden1")
        .addVertex("skip", new MergeVertex(), "hidden1", "hidden2")
        .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(48).nOut(10)
            .activation(Activation.SOFTMAX).build(), "skip")
        .setOutputs("output");
    ComputationGraph network = new ComputationGraph(graph.build());
    network.init();
    return network;
  }

  @Test
  void oneWorkerAveragingEveryStepTrainsTheGraphAsOneJvmDoes() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 1, 1, Digits.PIXELS, 3);
    List<Batch> inOrder = batches.collect();
    int epochs = 2;
    ComputationGraph single = skipGraph(new Adam(0.01), "pixels");
    NetworkState initial = NetworkState.of(single);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (Batch batch : inOrder) {
        single.fit(batch.toDataSet());
      }
    }
    NetworkState expected = NetworkState.of(single);

    TrainingResult distributed = new ParameterAveragingTrainer(new TrainingPlan(epochs, 1, 0))
        .fit(initial, batches, null, ValidationMetric.ACCURACY);

    assertTrue(distributed.network().isGraph());
    assertTrue(maxAbsDifference(initial.parameters(), expected.parameters()) > 0.01,
        "single-JVM training moved the parameters");
    assertTrue(maxAbsDifference(expected.parameters(), distributed.network().parameters()) <= 1e-5,
        "max parameter difference " + maxAbsDifference(expected.parameters(), distributed.network().parameters()));
    assertTrue(maxAbsDifference(expected.updaterState(), distributed.network().updaterState()) <= 1e-5,
        "Adam's moments must survive the rounds");
    TrainableNetwork.Counters counters = TrainableNetwork.counters(distributed.network().configurationJson());
    assertEquals(new TrainableNetwork.Counters(epochs * inOrder.size(), epochs), counters);
  }

  @Test
  void twoWorkersAveragingAmongThemselvesAndOnTheDriverAgreeOnAGraph() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 2, 4, Digits.PIXELS, 3);
    TrainingPlan plan = new TrainingPlan(2, 2, 0);
    NetworkState initial = NetworkState.of(skipGraph(new Sgd(0.05), "pixels"));

    TrainingResult amongWorkers = new ParameterAveragingTrainer(plan)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);
    TrainingResult onTheDriver = new ParameterAveragingTrainer(plan, ParameterAveragingTrainer.Averaging.ON_THE_DRIVER)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);

    assertTrue(maxAbsDifference(initial.parameters(), amongWorkers.network().parameters()) > 0.01);
    assertArrayEquals(onTheDriver.network().parameters(), amongWorkers.network().parameters());
  }

  @Test
  void twoWorkersTrainTheGraphToHeldOutAccuracy() {
    Dataset<Row>[] split = digits.randomSplit(new double[] {0.75, 0.25}, 7);
    JavaRDD<Batch> train = BATCHES.batches(split[0], 2, 5, Digits.PIXELS, 5);
    JavaRDD<Batch> test = BATCHES.batches(split[1], 1, Integer.MAX_VALUE, Digits.PIXELS, 0);
    TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(15, 2, 0))
        .fit(NetworkState.of(skipGraph(new Adam(0.01), "pixels")), train, test, ValidationMetric.ACCURACY);

    double accuracy = ParameterAveragingTrainer.evaluate(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        test, result.network(), ValidationMetric.ACCURACY).metric(ValidationMetric.ACCURACY);
    System.out.printf("skip-connection graph, 2 workers, 15 epochs: held-out digits accuracy %.4f%n", accuracy);
    assertTrue(accuracy > 0.93, "held-out accuracy " + accuracy);
    assertEquals(accuracy, result.history().epochs().get(14).validationMetric(), 1e-12);
  }

  @Test
  void aGraphOfTwoInputsIsRefusedNamingThem() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 1, 4, Digits.PIXELS, 3);
    NetworkState twoInputs = NetworkState.of(skipGraph(new Sgd(0.05), "left", "right"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ParameterAveragingTrainer(new TrainingPlan(1, 1, 0))
            .fit(twoInputs, batches, null, ValidationMetric.ACCURACY));
    assertTrue(e.getMessage().contains("[left, right]") && e.getMessage().contains("one input"), e.getMessage());
    assertEquals(List.of("left", "right"), twoInputs.toGraph().getConfiguration().getNetworkInputs(),
        "its state still comes back as a graph");
  }

  @Test
  void aGraphStateComesBackAsAGraphOnly() {
    ComputationGraph graph = skipGraph(new Adam(0.01), "pixels");
    NetworkState state = NetworkState.of(graph);
    assertArrayEquals(state.parameters(), NetworkState.of(state.toGraph()).parameters());
    assertEquals(graph.getUpdater().getStateViewArray().length(), state.updaterState().length);
    IllegalStateException e = assertThrows(IllegalStateException.class, state::toNetwork);
    assertTrue(e.getMessage().contains("toGraph()"), e.getMessage());
  }
}
