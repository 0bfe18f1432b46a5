package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.testdata.FashionMnist;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class FashionMnistClassifierTest {

  @Test
  void mlpOnTwoWorkersReachesEightyFivePercentOnTheTestSet() {
    SparkSession spark = LocalSpark.session();
    NeuralNetClassificationModel model = new NeuralNetClassifier()
        .setNetwork("dense(256, relu) -> dense(128, relu)")
        .setNumWorkers(2)
        .setBatchSize(64)
        .setEpochs(3)
        .setSeed(1)
        .fit(FashionMnist.load(spark, FashionMnist.Split.TRAIN, 0));
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
        .evaluate(model.transform(FashionMnist.load(spark, FashionMnist.Split.TEST, 0)));
    System.out.println(model.summary());
    System.out.printf("Fashion-MNIST test accuracy, 2 workers: %.4f%n", accuracy);
    assertEquals(3, model.summary().epochs().size());
    assertTrue(accuracy >= 0.85, "test accuracy " + accuracy);
  }
}
