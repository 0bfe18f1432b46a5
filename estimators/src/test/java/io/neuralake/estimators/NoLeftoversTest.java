package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A fit leaves no files in Spark's local directories (shuffle outputs, spilled batches) and nothing in
 * Spark's cache, whether it finishes, fails on a bad row or diverges.
 */
class NoLeftoversTest {

  private static final SparkSession SPARK = LocalSpark.session();

  private static NeuralNetClassifier classifier() {
    return new NeuralNetClassifier().setNetwork("dense(16)").setEpochs(2).setBatchSize(32).setAveragingFrequency(5)
        .setNumWorkers(2);
  }

  @Test
  void aFinishedFitWithValidationDataLeavesNothing() {
    assertLeavesNothing(() -> classifier().setValidationFraction(0.2).fit(Digits.load(SPARK)));
  }

  @Test
  void aFitThatFailsOnABadRowLeavesNothing() {
    // The bad row is in the last partition, so that the other partitions' shuffle outputs are written first.
    Dataset<Row> digits = Digits.load(SPARK).select("features", "label");
    Dataset<Row> data = digits.union(
        SPARK.createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2, 3), 0.0)), digits.schema()));
    assertLeavesNothing(() -> assertThrows(Exception.class, () -> classifier().setInputShape(64).fit(data)));
  }

  @Test
  void aDivergingFitLeavesNothing() {
    assertLeavesNothing(() -> assertThrows(IllegalStateException.class,
        () -> classifier().setUpdater("sgd").setLearningRate(1e12).fit(Digits.load(SPARK))));
  }

  private static void assertLeavesNothing(Runnable fit) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SPARK.sparkContext());
    int cached = jsc.getPersistentRDDs().size();
    Set<String> before = SparkLocalFiles.list();
    fit.run();
    Set<String> left = SparkLocalFiles.list();
    left.removeAll(before);
    assertTrue(left.isEmpty(), "files left in Spark's local directories: " + left);
    assertEquals(cached, jsc.getPersistentRDDs().size(), "RDDs left cached");
  }
}
