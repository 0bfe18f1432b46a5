package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.neuralake.testdata.FashionMnist;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A convolutional network on Fashion-MNIST images whose shape comes from the column metadata. */
class CnnClassifierTest {

  private static final int TRAIN_ROWS = 6000;
  private static final int EPOCHS = 6;

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void load() {
    SparkSession spark = LocalSpark.session();
    train = FashionMnist.load(spark, FashionMnist.Split.TRAIN, TRAIN_ROWS).cache();
    test = FashionMnist.load(spark, FashionMnist.Split.TEST, 0).cache();
  }

  private static NeuralNetClassificationModel fit(String network) {
    return new NeuralNetClassifier().setNetwork(network).setEpochs(EPOCHS).setNumWorkers(2).setSeed(3).fit(train);
  }

  @Test
  void smallCnnBeatsTheMlpOnTheSameSubsetAndEpochs(@TempDir Path dir) throws Exception {
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    NeuralNetClassificationModel cnn =
        fit("conv(16, 3, padding=same) -> pool(max, 2) -> conv(32, 3, padding=same) -> pool(max, 2) -> dense(64)");
    NeuralNetClassificationModel mlp = fit("dense(256) -> dense(128)");
    double cnnAccuracy = accuracy.evaluate(cnn.transform(test));
    double mlpAccuracy = accuracy.evaluate(mlp.transform(test));
    System.out.println(cnn.networkSummary());
    System.out.printf("Fashion-MNIST %d rows, %d epochs, test accuracy: CNN %.4f, MLP %.4f%n", TRAIN_ROWS, EPOCHS,
        cnnAccuracy, mlpAccuracy);
    assertTrue(cnnAccuracy > mlpAccuracy, "CNN " + cnnAccuracy + " vs MLP " + mlpAccuracy);
    assertTrue(cnn.networkSummary().contains("(batch, 32, 7, 7)"), cnn.networkSummary());

    String path = dir.resolve("cnn").toString();
    cnn.save(path);
    NeuralNetClassificationModel loaded = NeuralNetClassificationModel.load(path);
    assertArrayEquals(new int[0], loaded.getInputShape(), "the shape came from metadata, not the param");
    assertTrue(loaded.networkSummary().contains("(batch, 32, 7, 7)"), "the input shape is saved with the model");
  }
}
