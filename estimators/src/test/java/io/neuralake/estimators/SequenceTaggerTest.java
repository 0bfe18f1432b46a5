package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.neuralake.testdata.BitSequences;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-step outputs from an estimator: tag each of 10 bits with the parity of the ones read so far.
 * A recurrent tagger gets nearly every step right on held-out sequences; the same per-step network
 * without recurrence sees one bit at a time and cannot (a step's parity is a coin flip given its bit).
 */
class SequenceTaggerTest {

  private static final int LENGTH = 10;

  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void data() {
    SparkSession spark = LocalSpark.session();
    train = BitSequences.runningParity(spark, 3000, LENGTH, 1).cache();
    test = BitSequences.runningParity(spark, 500, LENGTH, 2).cache();
  }

  private static NeuralNetSequenceTagger tagger(String network) {
    return new NeuralNetSequenceTagger().setNetwork(network).setLabelCol("tags").setEpochs(6).setLearningRate(0.01)
        .setBatchSize(32).setNumWorkers(2).setSeed(4);
  }

  /** The share of held-out steps tagged right. */
  private static double perStepAccuracy(Dataset<Row> scored) {
    long right = 0;
    long steps = 0;
    for (Row row : scored.select("tags", "prediction").collectAsList()) {
      List<Double> tags = row.getList(0);
      List<Double> predicted = row.getList(1);
      assertEquals(tags.size(), predicted.size(), "one prediction per step");
      for (int t = 0; t < tags.size(); t++) {
        right += tags.get(t).equals(predicted.get(t)) ? 1 : 0;
        steps++;
      }
    }
    return (double) right / steps;
  }

  @Test
  void aRecurrentTaggerLabelsEveryStep() {
    NeuralNetSequenceTaggerModel model = tagger("gru(16, sequences=true)").setValidationFraction(0.1).fit(train);
    double accuracy = perStepAccuracy(model.transform(test));
    System.out.printf("running parity of %d bits, gru(16, sequences=true) tagger: held-out per-step accuracy %.4f%n",
        LENGTH, accuracy);
    assertTrue(accuracy >= 0.95, "held-out per-step accuracy " + accuracy);
    double lastValidation = model.summary().epochs().get(model.summary().epochs().size() - 1).validationMetric();
    assertTrue(lastValidation >= 0.9, "the validation metric is the per-step accuracy: " + model.summary());
    assertEquals(2, model.numClasses());
    Row first = model.transform(test).select("probability").first();
    List<Vector> probabilities = first.getList(0);
    assertEquals(LENGTH, probabilities.size());
    assertEquals(1.0, probabilities.get(3).toArray()[0] + probabilities.get(3).toArray()[1], 1e-5);
  }

  @Test
  void withoutRecurrenceTheStepsStayNearChance() {
    double accuracy = perStepAccuracy(tagger("dense(16, tanh)").fit(train).transform(test));
    System.out.printf("running parity of %d bits, dense(16, tanh) per step: held-out per-step accuracy %.4f%n",
        LENGTH, accuracy);
    // Only the first step's parity is its own bit: about (1 + 9 × 0.5) / 10 = 0.55 is reachable.
    assertTrue(accuracy < 0.62, "no recurrence: " + accuracy);
  }

  @Test
  void aTaggerInAPipelineSavesAndLoads(@TempDir Path dir) throws Exception {
    Dataset<Row> small = train.limit(400);
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        tagger("lstm(8, sequences=true)").setEpochs(1)}).fit(small);
    String path = dir.resolve("tagger").toString();
    fitted.write().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertTrue(Files.exists(dir.resolve("tagger")));
    List<Row> before = fitted.transform(test).select("prediction", "probability").collectAsList();
    List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(before, after);
    NeuralNetSequenceTaggerModel model = (NeuralNetSequenceTaggerModel) loaded.stages()[0];
    assertEquals("tags", model.getLabelCol());
    assertTrue(model.networkSummary().contains("per-step output(2"), model.networkSummary());
  }

  @Test
  void badLabelsAndNetworksAreNamed() {
    Dataset<Row> ragged = train.limit(20)
        .withColumn("tags", functions.expr("slice(tags, 1, 3 + cast(rand(1) * 3 as int))"));
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> tagger("gru(4, sequences=true)").fit(ragged));
    assertTrue(lengths.getMessage().contains("label column 'tags' holds sequences of 3 to"), lengths.getMessage());

    Dataset<Row> scalar = train.limit(20).withColumn("tags", functions.lit(1.0));
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> tagger("gru(4, sequences=true)").fit(scalar));
    assertTrue(type.getMessage().contains("labelCol 'tags' must be an array of class indices"), type.getMessage());

    Dataset<Row> fractional = train.limit(20).withColumn("tags", functions.expr("transform(tags, x -> x + 0.5)"));
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> tagger("gru(4, sequences=true)").fit(fractional));
    assertTrue(value.getMessage().contains("label column 'tags' holds"), value.getMessage());

    IllegalArgumentException network = assertThrows(IllegalArgumentException.class,
        () -> tagger("gru(4)").fit(train.limit(20)));
    assertTrue(network.getMessage().contains("per-step output needs a sequence of " + LENGTH + " steps"),
        network.getMessage());
  }
}
