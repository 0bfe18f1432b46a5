package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import io.neuralake.testdata.SortedSequences;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transformer encoder learns a token-order task, "is this sequence sorted", whose classes share
 * one distribution of token multisets; without position codes the same network is order-blind.
 */
class TransformerClassifierTest {

  private static final int LENGTH = 8;
  private static final int VOCABULARY = 10;
  private static final int EPOCHS = 14;
  private static final String ENCODER = "transformer(4, 64) -> transformer(4, 64) -> globalpool(avg)";

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void data() {
    SparkSession spark = LocalSpark.session();
    train = SortedSequences.load(spark, 6000, LENGTH, VOCABULARY, 1).cache();
    test = SortedSequences.load(spark, 1000, LENGTH, VOCABULARY, 2).cache();
  }

  private static NeuralNetClassificationModel fit(String network) {
    return new NeuralNetClassifier().setNetwork(network).setEpochs(EPOCHS).setLearningRate(0.003).setBatchSize(32)
        .setNumWorkers(2).setSeed(3).fit(train);
  }

  private static double heldOutAccuracy(NeuralNetClassificationModel model, String network) {
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
    System.out.printf("sorted or not, %d tokens of %d, %s, %d epochs: held-out accuracy %.4f%n", LENGTH, VOCABULARY,
        network, EPOCHS, accuracy);
    return accuracy;
  }

  @Test
  void aTransformerEncoderLearnsWhetherTokensAreSorted(@TempDir Path dir) throws Exception {
    String network = "dense(32, identity) -> posenc(sinusoidal) -> " + ENCODER;
    NeuralNetClassificationModel model = fit(network);
    double accuracy = heldOutAccuracy(model, network);
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);

    String path = dir.resolve("transformer").toString();
    model.save(path);
    Dataset<Row> again = NeuralNetClassificationModel.load(path).transform(test);
    assertEquals(model.transform(test).select("probability").collectAsList(),
        again.select("probability").collectAsList(), "our own layers load back from the saved configuration");
  }

  @Test
  void withoutPositionCodesTheEncoderIsOrderBlind() {
    String network = "dense(32, identity) -> " + ENCODER;
    double accuracy = heldOutAccuracy(fit(network), network);
    assertTrue(accuracy < 0.65, "held-out accuracy " + accuracy);
  }
}
