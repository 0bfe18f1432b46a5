package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.nd4j.linalg.factory.Nd4j;

/** The driver-side epoch loop: history, validation, early stopping, divergence. */
class TrainingLoopTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);

  private static JavaRDD<Batch> train;
  private static JavaRDD<Batch> validation;

  @BeforeAll
  static void split() {
    SparkSession spark = LocalSpark.session();
    Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.7, 0.3}, 5);
    train = BATCHES.batches(parts[0], 2, 5, Digits.PIXELS, 1).cache();
    validation = BATCHES.batches(parts[1], 2, Integer.MAX_VALUE, Digits.PIXELS, 2).cache();
  }

  private static NetworkState network(Optimizer optimizer, double learningRate, int... hidden) {
    MultiLayerNetwork network = new MultiLayerNetwork(NetworkSpec.mlp(hidden).toDl4j(new long[] {Digits.PIXELS},
        OutputHead.classification(10), new Hyperparameters(optimizer, learningRate, 0.9, 0, 0, WeightInitScheme.XAVIER, 4)));
    network.init();
    return NetworkState.of(network);
  }

  @Test
  void workerTasksUseAsManyNativeThreadsAsTheyOwnCores() {
    NativeThreads.limit(2);
    new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0))
        .fit(network(Optimizer.ADAM, 0.01, 8), train, null, ValidationMetric.ACCURACY);
    // local mode: the workers ran in this JVM, and spark.task.cpus is 1.
    assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
    assertEquals(1, Nd4j.factory().blas().getMaxThreads());
  }

  @Test
  void historyRecordsEveryEpochWithValidationLossAndAccuracy() {
    TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(4, 2, 0))
        .fit(network(Optimizer.ADAM, 0.01, 32), train, validation, ValidationMetric.ACCURACY);
    TrainingHistory history = result.history();
    assertEquals(4, history.epochs().size());
    assertTrue(history.last().trainLoss() < history.epochs().get(0).trainLoss(), history.toString());
    assertTrue(history.last().validationMetric() > 0.9, history.toString());
    assertTrue(history.last().validationLoss() < 0.5, history.toString());
    assertTrue(history.epochs().stream().allMatch(e -> e.samplesPerSecond() > 0 && e.seconds() > 0));
    assertEquals(4, history.toDataFrame(LocalSpark.session()).count());
    assertEquals(4, org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
        result.network().configurationJson()).getEpochCount());
  }

  @Test
  void earlyStoppingStopsAfterPatienceAndKeepsTheBestEpoch() {
    // A large network with a high learning rate overfits digits within a few epochs.
    TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(40, 2, 2))
        .fit(network(Optimizer.ADAM, 0.01, 256, 256), train, validation, ValidationMetric.ACCURACY);
    TrainingHistory history = result.history();
    assertTrue(history.epochs().size() < 40, "stopped early: " + history);
    int best = 0;
    for (int i = 1; i < history.epochs().size(); i++) {
      if (history.epochs().get(i).validationLoss() < history.epochs().get(best).validationLoss()) {
        best = i;
      }
    }
    assertEquals(history.epochs().size() - 1 - 2, best, "two epochs without improvement after the best: " + history);
    double kept = ParameterAveragingTrainer.evaluate(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(train.context()), validation, result.network(),
        ValidationMetric.ACCURACY).loss();
    assertEquals(history.epochs().get(best).validationLoss(), kept, 1e-6, "the best epoch's parameters are kept");
  }

  @Test
  void aDivergingLossStopsTrainingWithAClearError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ParameterAveragingTrainer(new TrainingPlan(3, 2, 0))
            .fit(network(Optimizer.SGD, 1e12, 64), train, null, ValidationMetric.ACCURACY));
    assertTrue(e.getMessage().contains("training diverged in epoch 1"), e.getMessage());
  }

  @Test
  void fitsLeaveNoCachedDataBehindEvenWhenTheyFail() {
    org.apache.spark.api.java.JavaSparkContext jsc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(train.context());
    JavaRDD<Batch> uncached = BATCHES.batches(Digits.load(LocalSpark.session()), 2, 5, Digits.PIXELS, 9);
    int before = jsc.getPersistentRDDs().size();
    new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0))
        .fit(network(Optimizer.ADAM, 0.01, 8), uncached, null, ValidationMetric.ACCURACY);
    assertEquals(before, jsc.getPersistentRDDs().size(), "a finished fit unpersists the batches it cached");
    assertThrows(IllegalStateException.class, () -> new ParameterAveragingTrainer(new TrainingPlan(3, 2, 0))
        .fit(network(Optimizer.SGD, 1e12, 64), uncached, null, ValidationMetric.ACCURACY));
    assertEquals(before, jsc.getPersistentRDDs().size(), "a failed fit unpersists them too");
    assertTrue(train.getStorageLevel().useMemory(), "the caller's own cache is left alone");
  }

  @Test
  void earlyStoppingWithoutValidationDataIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ParameterAveragingTrainer(new TrainingPlan(3, 2, 2))
            .fit(network(Optimizer.ADAM, 0.01, 8), train, null, ValidationMetric.ACCURACY));
    assertTrue(e.getMessage().contains("set validationFraction or validationIndicatorCol"), e.getMessage());
  }
}
