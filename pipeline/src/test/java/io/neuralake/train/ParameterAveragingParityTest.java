package io.neuralake.train;

import static io.neuralake.testing.FloatArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.LabelEncoding;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine against plain single-JVM DL4J training on the same mini-batches. */
class ParameterAveragingParityTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);

  private static SparkSession spark;
  private static Dataset<Row> digits;

  @BeforeAll
  static void load() {
    spark = LocalSpark.session();
    digits = Digits.load(spark).cache();
  }

  private static MultiLayerNetwork network(Optimizer optimizer, double learningRate) {
    Hyperparameters hyper = new Hyperparameters(optimizer, learningRate, 0.9, 0, 0, WeightInitScheme.XAVIER, 12345);
    MultiLayerNetwork network = new MultiLayerNetwork(
        NetworkSpec.mlp(32, 16).toDl4j(new long[] {Digits.PIXELS}, OutputHead.classification(10), hyper));
    network.init();
    return network;
  }

  @Test
  void oneWorkerWithSgdAveragingEveryStepEqualsSingleJvmTraining() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 1, 1, Digits.PIXELS, 3);
    List<Batch> inOrder = batches.collect();
    int epochs = 2;

    MultiLayerNetwork single = network(Optimizer.SGD, 0.05);
    float[] initial = NetworkState.of(single).parameters();
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (Batch batch : inOrder) {
        single.fit(batch.toDataSet());
      }
    }
    float[] expected = NetworkState.of(single).parameters();

    TrainingResult distributed = new ParameterAveragingTrainer(new TrainingPlan(epochs, 1, 0))
        .fit(NetworkState.of(network(Optimizer.SGD, 0.05)), batches, null, ValidationMetric.ACCURACY);
    float[] actual = distributed.network().parameters();

    assertTrue(maxAbsDifference(initial, expected) > 0.01, "single-JVM training moved the parameters");
    assertEquals(expected.length, actual.length);
    assertTrue(maxAbsDifference(expected, actual) <= 1e-6,
        "max parameter difference " + maxAbsDifference(expected, actual));
  }

  @Test
  void adamStateIsAveragedAndCarriedAcrossRounds() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 1, 3, Digits.PIXELS, 3);
    MultiLayerNetwork single = network(Optimizer.ADAM, 0.01);
    for (Batch batch : batches.collect()) {
      single.fit(batch.toDataSet());
    }
    TrainingResult distributed = new ParameterAveragingTrainer(new TrainingPlan(1, 1, 0))
        .fit(NetworkState.of(network(Optimizer.ADAM, 0.01)), batches, null, ValidationMetric.ACCURACY);

    NetworkState expected = NetworkState.of(single);
    assertTrue(maxAbsDifference(expected.updaterState(), distributed.network().updaterState()) <= 1e-6,
        "Adam's moments must survive the rounds");
    assertTrue(maxAbsDifference(expected.parameters(), distributed.network().parameters()) <= 1e-5);
  }

  @Test
  void workersAveragingAmongThemselvesTrainBitForBitAsTheDriversAverage() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 2, 4, Digits.PIXELS, 3);
    TrainingPlan plan = new TrainingPlan(2, 2, 0);
    NetworkState initial = NetworkState.of(network(Optimizer.ADAM, 0.01));

    TrainingResult amongWorkers = new ParameterAveragingTrainer(plan)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);
    TrainingResult onTheDriver = new ParameterAveragingTrainer(plan, ParameterAveragingTrainer.Averaging.ON_THE_DRIVER)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);

    assertTrue(maxAbsDifference(initial.parameters(), amongWorkers.network().parameters()) > 0.01);
    assertArrayEquals(onTheDriver.network().parameters(), amongWorkers.network().parameters());
    assertArrayEquals(onTheDriver.network().updaterState(), amongWorkers.network().updaterState());
    for (int epoch = 0; epoch < 2; epoch++) {
      assertEquals(onTheDriver.history().epochs().get(epoch).trainLoss(),
          amongWorkers.history().epochs().get(epoch).trainLoss(), 1e-12);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void moreWorkersThanTaskSlotsAverageOnTheDriver() {
    // local[2] runs 2 tasks at once: a barrier job of 3 workers would wait for slots that never come.
    JavaRDD<Batch> batches = BATCHES.batches(digits, 3, 4, Digits.PIXELS, 3);
    TrainingPlan plan = new TrainingPlan(1, 3, 0);
    NetworkState initial = NetworkState.of(network(Optimizer.ADAM, 0.01));

    TrainingResult threeWorkers = new ParameterAveragingTrainer(plan)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);
    TrainingResult onTheDriver = new ParameterAveragingTrainer(plan, ParameterAveragingTrainer.Averaging.ON_THE_DRIVER)
        .fit(initial, batches, null, ValidationMetric.ACCURACY);

    assertTrue(maxAbsDifference(initial.parameters(), threeWorkers.network().parameters()) > 0.01);
    // The driver sums three workers' results in the order they arrive, which rounds the last bit differently.
    assertTrue(maxAbsDifference(onTheDriver.network().parameters(), threeWorkers.network().parameters()) <= 1e-5);
  }

  @Test
  void aFitAmongWorkersLeavesNoThreadThatKeepsTheJvmAlive() throws InterruptedException {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 2, 4, Digits.PIXELS, 3);
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0))
        .fit(NetworkState.of(network(Optimizer.ADAM, 0.01)), batches, null, ValidationMetric.ACCURACY);
    // Some of Spark's threads end on their own once idle (Netty's global event executor after a quiet second).
    List<String> added = nonDaemonThreadsNotIn(before);
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
         !added.isEmpty() && System.nanoTime() < deadline; added = nonDaemonThreadsNotIn(before)) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), added, "non-daemon threads left by the fit, 5 s after it");
  }

  private static List<String> nonDaemonThreadsNotIn(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !thread.isDaemon() && thread.isAlive() && !before.contains(thread))
        .map(Thread::getName).toList();
  }
}
