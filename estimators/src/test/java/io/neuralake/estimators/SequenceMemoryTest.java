package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.testdata.BitSequences;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recurrent layers learn a task that needs memory: count the ones in a 12-bit sequence read one
 * bit per step (13 classes). The same per-step network without recurrence, which can only read
 * the last step, stays near the majority-class rate. A regressor reads the same sequences to a value.
 */
class SequenceMemoryTest {

  private static final int LENGTH = 12;

  private static Dataset<Row> train;
  private static Dataset<Row> test;
  private static double majorityRate;

  @BeforeAll
  static void data() {
    SparkSession spark = LocalSpark.session();
    train = BitSequences.ones(spark, 4000, LENGTH, 1).cache();
    test = BitSequences.ones(spark, 1000, LENGTH, 2).cache();
    majorityRate = (double) test.groupBy("label").count().agg(org.apache.spark.sql.functions.max("count"))
        .first().getLong(0) / test.count();
  }

  private static double heldOutAccuracy(String network, int epochs) {
    NeuralNetClassificationModel model = new NeuralNetClassifier().setNetwork(network).setEpochs(epochs)
        .setLearningRate(0.01).setBatchSize(32).setNumWorkers(2).setSeed(5).fit(train);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    System.out.printf("count of ones in %d bits, %s, %d epochs: held-out accuracy %.4f (majority class %.4f)%n",
        LENGTH, network, epochs, accuracy, majorityRate);
    return accuracy;
  }

  @ParameterizedTest
  @ValueSource(strings = {"lstm(32)", "gru(32)"})
  void recurrentLayersCount(String network) {
    double accuracy = heldOutAccuracy(network, 8);
    assertTrue(accuracy >= 0.95, network + " held-out accuracy " + accuracy);
  }

  @Test
  void aSequenceRegressorPredictsTheCount() {
    NeuralNetRegressionModel model = new NeuralNetRegressor().setNetwork("gru(16)").setEpochs(4).setLearningRate(0.01)
        .setNumWorkers(2).setSeed(5).fit(train);
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(model.transform(test));
    System.out.printf("count of ones in %d bits, gru(16) regressor: held-out RMSE %.4f%n", LENGTH, rmse);
    assertTrue(rmse < 0.5, "RMSE " + rmse + " of a count from 0 to " + LENGTH);
  }

  @Test
  void withoutRecurrenceTheSameStepsStayNearChance() {
    double accuracy = heldOutAccuracy("dense(32, tanh) -> laststep()", 8);
    assertTrue(accuracy < majorityRate + 0.05, "no recurrence: " + accuracy + " vs majority " + majorityRate);
  }
}
