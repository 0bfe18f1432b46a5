package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.nio.file.Path;

import io.neuralake.spec.NetworkSpec;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every param of every stage survives save and load, as Spark's DefaultReadWriteTest checks. */
class PersistenceTest {

  @org.junit.jupiter.api.BeforeAll
  static void startSpark() {
    LocalSpark.session();
  }

  /** Saves {@code stage}, loads it back with {@code load}, and compares uid and every param. */
  static <T extends Params & MLWritable> T roundTrip(T stage, java.util.function.Function<String, T> load, Path dir)
      throws Exception {
    String path = dir.resolve(stage.uid()).toString();
    stage.write().overwrite().save(path);
    T loaded = load.apply(path);
    assertNotSame(stage, loaded);
    assertEquals(stage.uid(), loaded.uid());
    for (Param<?> param : stage.params()) {
      assertEquals(stage.isDefined(param), loaded.isDefined(param), param.name());
      if (stage.isDefined(param)) {
        Object expected = stage.getOrDefault(param);
        Object actual = loaded.getOrDefault(loaded.getParam(param.name()));
        if (expected != null && expected.getClass().isArray()) {
          org.junit.jupiter.api.Assertions.assertTrue(java.util.Objects.deepEquals(expected, actual), param.name());
        } else {
          assertEquals(expected, actual, param.name());
        }
      }
    }
    return loaded;
  }

  private static NeuralNetClassifier configuredClassifier() {
    return new NeuralNetClassifier()
        .setNetwork(NetworkSpec.builder().dense(16).tanh().dropout(0.1).dense(8).leakyRelu().build())
        .setEpochs(2).setBatchSize(16).setNumWorkers(2).setAveragingFrequency(3).setUpdater("nesterov")
        .setLearningRate(0.05).setMomentum(0.8).setSeed(99).setL1(1e-5).setL2(1e-4).setWeightInit("he")
        .setValidationFraction(0.2).setEarlyStoppingPatience(3).setInputShape(1, 8, 8).setLoss("kl_divergence")
        .setLearningRateSchedule("step(0.5, 10)").setWarmupIterations(5).setGradientClipping("norm(2.0)").setMaxNorm(3)
        .setFeaturesCol("features").setThresholds(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 2});
  }

  @Test
  void classifierAndItsModelKeepEveryParam(@TempDir Path dir) throws Exception {
    NeuralNetClassifier classifier = configuredClassifier();
    roundTrip(classifier, NeuralNetClassifier::load, dir);
    NeuralNetClassificationModel model = classifier.fit(Digits.load(LocalSpark.session()));
    NeuralNetClassificationModel loaded = roundTrip(model, NeuralNetClassificationModel::load, dir);
    assertEquals(model.numClasses(), loaded.numClasses());
    assertEquals(model.numFeatures(), loaded.numFeatures());
    assertEquals(model.summary(), loaded.summary());
    org.junit.jupiter.api.Assertions.assertArrayEquals(model.networkState().parameters(),
        loaded.networkState().parameters());
  }

  @Test
  void regressorAndItsModelKeepEveryParam(@TempDir Path dir) throws Exception {
    NeuralNetRegressor regressor = new NeuralNetRegressor().setNetwork("dense(8, sigmoid)").setEpochs(1)
        .setUpdater("rmsprop").setWeightInit("orthogonal").setValidationIndicatorCol("isValidation").setLoss("mae")
        .setLearningRateSchedule("cosine(100)").setGradientClipping("value(0.5)")
        .setPredictionCol("estimate");
    roundTrip(regressor, NeuralNetRegressor::load, dir);
    NeuralNetRegressionModel model = regressor.setValidationIndicatorCol("")
        .fit(RegressorTest.sinePlusSquare(LocalSpark.session(), 200, 1));
    roundTrip(model, NeuralNetRegressionModel::load, dir);
  }
}
