package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** Digits below 5 against the rest: a binary task with Spark's binary evaluator and thresholds. */
class BinaryClassificationTest {

  @Test
  void binaryLabelsGiveTwoClassOutputsThatTheBinaryEvaluatorScores() {
    Dataset<Row> digits = Digits.load(LocalSpark.session());
    Dataset<Row> binary = digits.withColumn("label", functions.when(digits.col("label").lt(5), 0.0).otherwise(1.0));
    Dataset<Row>[] parts = binary.randomSplit(new double[] {0.8, 0.2}, 3);
    NeuralNetClassificationModel model = new NeuralNetClassifier().setEpochs(10).setSeed(5)
        .setValidationIndicatorCol("").fit(parts[0]);
    assertEquals(2, model.numClasses());
    Dataset<Row> scored = model.transform(parts[1]).cache();
    double auc = new BinaryClassificationEvaluator().evaluate(scored);
    System.out.printf("digits <5 vs >=5 held-out AUC: %.4f%n", auc);
    assertTrue(auc > 0.98, "AUC " + auc);

    Row first = scored.select("rawPrediction", "probability").head();
    Vector raw = first.getAs(0);
    Vector probability = first.getAs(1);
    assertEquals(1.0, probability.apply(0) + probability.apply(1), 1e-9);
    assertEquals(Math.log(probability.apply(1) / probability.apply(0)), raw.apply(1) - raw.apply(0), 1e-6,
        "rawPrediction holds log-probabilities");

    long ones = scored.filter("prediction = 1.0").count();
    model.setThresholds(new double[] {1.0, 1e-9});
    List<Row> forced = model.transform(parts[1]).select("prediction").distinct().collectAsList();
    assertEquals(List.of(org.apache.spark.sql.RowFactory.create(1.0)), forced,
        "a tiny threshold for class 1 predicts it everywhere (it was predicted " + ones + " times before)");
  }

  @Test
  void validationIndicatorColumnChoosesTheValidationRows() {
    Dataset<Row> digits = Digits.load(LocalSpark.session());
    Dataset<Row> marked = digits.withColumn("isValidation", functions.rand(1).lt(0.25));
    NeuralNetClassificationModel model = new NeuralNetClassifier().setEpochs(3).setNumWorkers(2)
        .setValidationIndicatorCol("isValidation").fit(marked);
    assertEquals(3, model.summary().epochs().size());
    assertTrue(model.summary().epochs().stream().allMatch(e -> e.validationMetric() > 0.5), model.summary().toString());
    assertEquals(3, model.summary().toDataFrame(LocalSpark.session()).filter("validation_accuracy > 0.5").count());
  }
}
