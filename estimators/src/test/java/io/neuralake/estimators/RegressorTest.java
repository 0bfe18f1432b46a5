package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegressorTest {

  /** Noise standard deviation: the best achievable RMSE. */
  private static final double NOISE = 0.05;

  /** y = sin(x1) + x2² + noise, with x1, x2 uniform in [-2, 2]. */
  static Dataset<Row> sinePlusSquare(SparkSession spark, int rows, long seed) {
    Random random = new Random(seed);
    List<Row> data = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      double x1 = random.nextDouble() * 4 - 2;
      double x2 = random.nextDouble() * 4 - 2;
      data.add(RowFactory.create(Vectors.dense(x1, x2), Math.sin(x1) + x2 * x2 + NOISE * random.nextGaussian()));
    }
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
    return spark.createDataFrame(data, schema);
  }

  @Test
  void learnsSinePlusSquareToRmseUnderPointOneOnHeldOutData(@TempDir Path dir) throws Exception {
    SparkSession spark = LocalSpark.session();
    NeuralNetRegressionModel model = new NeuralNetRegressor()
        .setNetwork("dense(64, tanh) -> dense(64, tanh)")
        .setEpochs(40)
        .setLearningRate(0.01)
        .setValidationFraction(0.1)
        .setSeed(3)
        .fit(sinePlusSquare(spark, 4000, 1));
    Dataset<Row> test = sinePlusSquare(spark, 1000, 2);
    double rmse = new RegressionEvaluator().setMetricName("rmse").evaluate(model.transform(test));
    System.out.println(model.summary());
    System.out.printf("sin(x1) + x2^2 held-out RMSE: %.4f (noise %.2f)%n", rmse, NOISE);
    assertTrue(rmse < 0.1, "held-out RMSE " + rmse);
    assertTrue(model.summary().last().validationMetric() < 0.15, "validation RMSE is reported: " + model.summary());

    String path = dir.resolve("regressor").toString();
    model.save(path);
    NeuralNetRegressionModel loaded = NeuralNetRegressionModel.load(path);
    assertEquals(model.transform(test).select("prediction").collectAsList(),
        loaded.transform(test).select("prediction").collectAsList());
    assertEquals(model.summary(), loaded.summary());
  }
}
