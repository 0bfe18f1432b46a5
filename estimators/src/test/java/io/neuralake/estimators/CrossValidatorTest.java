package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.neuralake.spec.NetworkSpec;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

class CrossValidatorTest {

  @Test
  void gridOverLearningRateAndHiddenSizesPicksAModelThatSavesAndLoads(@TempDir Path dir) throws Exception {
    SparkSession spark = LocalSpark.session();
    Dataset<Row>[] parts = Digits.load(spark).randomSplit(new double[] {0.8, 0.2}, 8);
    NeuralNetClassifier classifier = new NeuralNetClassifier().setEpochs(6).setSeed(2);
    ParamMap[] grid = new ParamGridBuilder()
        .addGrid(classifier.learningRate(), new double[] {1e-4, 1e-2})
        .addGrid(classifier.network(), JavaConverters.iterableAsScalaIterable(List.of(NetworkSpec.mlp(8), NetworkSpec.mlp(64))))
        .build();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
    CrossValidatorModel cv = new CrossValidator().setEstimator(classifier).setEstimatorParamMaps(grid)
        .setEvaluator(accuracy).setNumFolds(2).setParallelism(2).setSeed(4).fit(parts[0]);

    double[] metrics = cv.avgMetrics();
    assertEquals(4, metrics.length);
    NeuralNetClassificationModel best = (NeuralNetClassificationModel) cv.bestModel();
    System.out.println("cross-validated accuracies " + java.util.Arrays.toString(metrics) + ", best " + best);
    assertEquals(1e-2, best.getLearningRate(), "the higher rate wins within 6 epochs");
    assertEquals(NetworkSpec.mlp(64), best.getNetwork(), "the wider network wins");
    assertTrue(accuracy.evaluate(best.transform(parts[1])) > 0.9);

    String path = dir.resolve("cv").toString();
    cv.save(path);
    CrossValidatorModel loaded = CrossValidatorModel.load(path);
    assertEquals(cv.transform(parts[1]).select("prediction").collectAsList(),
        loaded.transform(parts[1]).select("prediction").collectAsList());
  }
}
