package io.neuralake.train;

import static io.neuralake.testing.FloatArrays.maxAbsDifference;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.data.ExampleTransform;
import io.neuralake.data.LabelEncoding;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A per-example transform of the training batches, applied afresh every epoch on the executors. */
class ExampleTransformTest {

  private static final BatchMaker BATCHES = new BatchMaker("features", "label", LabelEncoding.oneHot(10), 32);
  /** Noise on every pixel: not idempotent, so a transform applied twice, or to the cache, would show. */
  private static final ExampleTransform NOISE = (features, offset, length, random) -> {
    for (int i = offset; i < offset + length; i++) {
      features[i] += (float) (2 * random.nextGaussian());
    }
  };

  private static Dataset<Row> digits;

  @BeforeAll
  static void load() {
    digits = Digits.load(LocalSpark.session()).cache();
  }

  private static NetworkState network() {
    Hyperparameters hyper = new Hyperparameters(Optimizer.SGD, 0.05, 0.9, 0, 0, WeightInitScheme.XAVIER, 12345);
    MultiLayerNetwork network = new MultiLayerNetwork(
        NetworkSpec.mlp(32, 16).toDl4j(new long[] {Digits.PIXELS}, OutputHead.classification(10), hyper));
    network.init();
    return NetworkState.of(network);
  }

  @Test
  void oneWorkerTrainsAsOneJvmOnBatchesTransformedAfreshEachEpoch() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 1, 1, Digits.PIXELS, 3).cache();
    // With one worker, partition r holds round r's batches.
    List<List<Batch>> rounds = batches.glom().collect();
    SeededTransform noise = new SeededTransform(NOISE, 42);
    int epochs = 2;

    MultiLayerNetwork single = network().toNetwork();
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (int round = 0; round < rounds.size(); round++) {
        java.util.Random random = noise.random(epoch, round, 0);
        for (Batch batch : rounds.get(round)) {
          single.fit(batch.transformed(NOISE, random).toDataSet());
        }
      }
    }
    float[] expected = NetworkState.of(single).parameters();

    TrainingPlan plan = new TrainingPlan(epochs, 1, 0);
    float[] transformed = new ParameterAveragingTrainer(plan).transformingExamples(NOISE, 42)
        .fit(network(), batches, null, ValidationMetric.ACCURACY).network().parameters();
    float[] plain = new ParameterAveragingTrainer(plan)
        .fit(network(), batches, null, ValidationMetric.ACCURACY).network().parameters();

    assertTrue(maxAbsDifference(expected, transformed) <= 1e-6,
        "max parameter difference " + maxAbsDifference(expected, transformed));
    assertTrue(maxAbsDifference(plain, transformed) > 0.01, "the transform changed what was learned");
    List<Batch> before = rounds.stream().flatMap(List::stream).toList();
    List<Batch> after = batches.collect();
    for (int i = 0; i < before.size(); i++) {
      assertArrayEquals(before.get(i).features(), after.get(i).features(), "cached batch " + i + " is unchanged");
    }
  }

  @Test
  void workersAveragingAmongThemselvesAndOnTheDriverTransformAlike() {
    JavaRDD<Batch> batches = BATCHES.batches(digits, 2, 4, Digits.PIXELS, 3);
    TrainingPlan plan = new TrainingPlan(2, 2, 0);

    TrainingResult amongWorkers = new ParameterAveragingTrainer(plan).transformingExamples(NOISE, 7)
        .fit(network(), batches, null, ValidationMetric.ACCURACY);
    TrainingResult onTheDriver = new ParameterAveragingTrainer(plan, ParameterAveragingTrainer.Averaging.ON_THE_DRIVER)
        .transformingExamples(NOISE, 7).fit(network(), batches, null, ValidationMetric.ACCURACY);
    TrainingResult otherSeed = new ParameterAveragingTrainer(plan).transformingExamples(NOISE, 8)
        .fit(network(), batches, null, ValidationMetric.ACCURACY);

    assertArrayEquals(onTheDriver.network().parameters(), amongWorkers.network().parameters());
    assertEquals(onTheDriver.history().epochs().get(1).trainLoss(), amongWorkers.history().epochs().get(1).trainLoss(),
        1e-12);
    assertFalse(java.util.Arrays.equals(amongWorkers.network().parameters(), otherSeed.network().parameters()),
        "another seed draws other noise");
  }

  @Test
  void validationDataIsNotTransformed() {
    JavaRDD<Batch> train = BATCHES.batches(digits, 2, 4, Digits.PIXELS, 3);
    JavaRDD<Batch> validation = BATCHES.batches(digits.limit(300), 1, Integer.MAX_VALUE, Digits.PIXELS, 0);
    TrainingResult result = new ParameterAveragingTrainer(new TrainingPlan(1, 2, 0)).transformingExamples(NOISE, 7)
        .fit(network(), train, validation, ValidationMetric.ACCURACY);
    double untransformed = ParameterAveragingTrainer.evaluate(
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext()),
        validation, result.network(), ValidationMetric.ACCURACY).loss();
    assertEquals(untransformed, result.history().epochs().get(0).validationLoss(), 1e-9);
  }
}
