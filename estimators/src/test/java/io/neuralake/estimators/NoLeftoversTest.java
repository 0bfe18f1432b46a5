package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.SparkEnv;
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
    Set<Path> before = localFiles();
    fit.run();
    Set<Path> left = localFiles();
    left.removeAll(before);
    assertTrue(left.isEmpty(), "files left in Spark's local directories: " + left);
    assertEquals(cached, jsc.getPersistentRDDs().size(), "RDDs left cached");
  }

  private static Set<Path> localFiles() {
    Set<Path> files = new HashSet<>();
    for (File directory : SparkEnv.get().blockManager().diskBlockManager().localDirs()) {
      try (Stream<Path> walk = Files.walk(directory.toPath())) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }
}
