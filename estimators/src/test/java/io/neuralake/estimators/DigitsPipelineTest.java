package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitsPipelineTest {

  private static SparkSession spark;
  private static Dataset<Row> train;
  private static Dataset<Row> test;

  @BeforeAll
  static void split() {
    spark = LocalSpark.session();
    Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 42);
    train = parts[0].cache();
    test = parts[1].cache();
  }

  @Test
  void scalerAndClassifierPipelineReachesNinetyFivePercentAndSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
    Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
        new StandardScaler().setInputCol("features").setOutputCol("scaled"),
        new NeuralNetClassifier().setFeaturesCol("scaled").setEpochs(20).setSeed(7)});
    PipelineModel model = pipeline.fit(train);
    Dataset<Row> predictions = model.transform(test);
    double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    System.out.println("digits held-out accuracy: " + accuracy);
    assertTrue(accuracy >= 0.95, "held-out accuracy " + accuracy);

    String path = dir.resolve("digits-pipeline").toString();
    model.save(path);
    PipelineModel loaded = PipelineModel.load(path);
    List<Row> before = predictions.select("prediction", "probability").collectAsList();
    List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
    assertEquals(before, after);
  }
}
