package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import io.neuralake.train.NativeThreads;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The batched transform against the model's single-row API. */
class ScoringTest {

  private static NeuralNetClassificationModel model;
  private static Dataset<Row> digits;

  @BeforeAll
  static void fit() {
    digits = Digits.load(LocalSpark.session());
    model = new NeuralNetClassifier().setEpochs(3).setSeed(4).fit(digits);
  }

  @Test
  void batchedTransformAgreesWithSingleRowPredictionsAcrossPartitions() {
    List<Row> rows = model.transform(digits.repartition(3)).select("features", "rawPrediction", "probability",
        "prediction").collectAsList();
    assertEquals(Digits.SIZE, rows.size());
    for (Row row : rows.subList(0, 300)) {
      Vector features = row.getAs(0);
      assertArrayEquals(model.predictRaw(features).toArray(), row.<Vector>getAs(1).toArray(), 1e-5, "float32 batched vs single-row GEMM");
      assertArrayEquals(model.predictProbability(features).toArray(), row.<Vector>getAs(2).toArray(), 1e-6);
      assertEquals(model.predict(features), row.getDouble(3));
    }
  }

  @Test
  void scoringTasksUseAsManyNativeThreadsAsTheyOwnCores() {
    NativeThreads.limit(2);
    model.transform(digits).select("prediction").collectAsList();
    // local mode: the tasks ran in this JVM, and spark.task.cpus is 1. (libnd4j ignores setMaxThreads: its ops
    // take as many threads as maxMasterThreads.)
    assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
    assertEquals(1, Nd4j.factory().blas().getMaxThreads());
  }

  @Test
  void emptyOutputColumnsAreLeftOutAndPredictionKeepsItsMetadata() {
    NeuralNetClassificationModel onlyPrediction = model.copy(new org.apache.spark.ml.param.ParamMap())
        .setRawPredictionCol("").setProbabilityCol("");
    Dataset<Row> scored = onlyPrediction.transform(digits);
    assertEquals(List.of("features", "label", "prediction"), Arrays.asList(scored.columns()));
    assertEquals(model.transform(digits).select("prediction").collectAsList(),
        scored.select("prediction").collectAsList());
    Attribute attribute = Attribute.fromStructField(scored.schema().apply("prediction"));
    assertFalse(attribute.isNumeric(), "prediction is nominal, as in Spark's classifiers");
  }
}
