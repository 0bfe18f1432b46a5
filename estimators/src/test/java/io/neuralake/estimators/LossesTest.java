package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every loss trains a model that does well on held-out data. */
class LossesTest {

  private static Dataset<Row>[] digits;

  @BeforeAll
  static void split() {
    digits = Digits.load(LocalSpark.session()).randomSplit(new double[] {0.8, 0.2}, 21);
  }

  @ParameterizedTest
  @ValueSource(strings = {"crossentropy", "sparse_crossentropy", "kl_divergence", "mse"})
  void multiClassLossesReachNinetyPercent(String loss) {
    NeuralNetClassificationModel model = new NeuralNetClassifier().setLoss(loss).setEpochs(10).setSeed(1)
        .setLearningRate(0.003).fit(digits[0]);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(digits[1]));
    System.out.printf("digits with %s: held-out accuracy %.4f%n", loss, accuracy);
    assertTrue(accuracy > 0.9, loss + ": " + accuracy);
    assertTrue(model.networkSummary().contains(loss), model.networkSummary());
  }

  @Test
  void binaryCrossEntropyUsesOneSigmoidOutputAndReportsTwoClasses() {
    Dataset<Row> train = binary(digits[0]);
    NeuralNetClassificationModel model = new NeuralNetClassifier().setLoss("binary_crossentropy").setEpochs(10)
        .setSeed(1).setValidationFraction(0.2).fit(train);
    assertEquals(2, model.numClasses());
    assertTrue(model.networkSummary().contains("output(1, sigmoid, binary_crossentropy)"), model.networkSummary());
    Dataset<Row> scored = model.transform(binary(digits[1]));
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    assertTrue(auc > 0.98, "AUC " + auc);
    assertTrue(model.summary().last().validationMetric() > 0.9, "accuracy of one sigmoid output: " + model.summary());
    Vector probability = scored.select("probability").head().getAs(0);
    assertEquals(2, probability.size());
    assertEquals(1.0, probability.apply(0) + probability.apply(1), 1e-9);
  }

  @Test
  void meanAbsoluteErrorTrainsARegressor() {
    Dataset<Row> train = RegressorTest.sinePlusSquare(LocalSpark.session(), 3000, 4);
    NeuralNetRegressionModel model = new NeuralNetRegressor().setLoss("mae").setNetwork("dense(64, tanh) -> dense(64, tanh)")
        .setEpochs(30).setLearningRate(0.01).setSeed(2).fit(train);
    double rmse = new RegressionEvaluator().evaluate(model.transform(RegressorTest.sinePlusSquare(LocalSpark.session(), 500, 5)));
    assertTrue(rmse < 0.2, "held-out RMSE with mae " + rmse);
  }

  private static Dataset<Row> binary(Dataset<Row> data) {
    return data.withColumn("label", functions.when(data.col("label").lt(5), 0.0).otherwise(1.0));
  }
}
