package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

import io.neuralake.data.Batch;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-step outputs on two workers: a recurrent tagger labels every step, and an encoder–decoder
 * (encoder state, repeated, decoded step by step) writes a whole output sequence.
 */
class SequenceOutputsTest {

  private static final int BATCH = 32;

  /** One example: writes its features and its per-step class indices. */
  private interface Example extends BiConsumer<float[], int[]> {}

  private static List<Batch> batches(int rows, int steps, int featuresPerStep, int classes, Random random,
                                     java.util.function.Function<Random, Example> draw) {
    List<Batch> batches = new ArrayList<>();
    for (int start = 0; start < rows; start += BATCH) {
      int count = Math.min(BATCH, rows - start);
      float[] features = new float[count * steps * featuresPerStep];
      float[] labels = new float[count * steps * classes];
      for (int i = 0; i < count; i++) {
        float[] x = new float[steps * featuresPerStep];
        int[] y = new int[steps];
        draw.apply(random).accept(x, y);
        System.arraycopy(x, 0, features, i * x.length, x.length);
        for (int t = 0; t < steps; t++) {
          labels[(i * steps + t) * classes + y[t]] = 1;
        }
      }
      batches.add(new Batch(features, labels, count, steps * featuresPerStep, steps * classes, steps));
    }
    return batches;
  }

  /** Trains on two workers and returns the held-out share of steps whose most probable class is right. */
  private static double perStepAccuracy(String network, long[] inputShape, OutputHead head, List<Batch> train,
                                        List<Batch> test, int epochs) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    MultiLayerNetwork initial = new MultiLayerNetwork(NetworkSpec.parse(network).toDl4j(inputShape, head,
        new Hyperparameters(Optimizer.ADAM, 0.01, 0.9, 0, 0, WeightInitScheme.XAVIER, 4)));
    initial.init();
    int rounds = (train.size() + 19) / 20;  // two workers averaging every ten batches
    MultiLayerNetwork trained = new ParameterAveragingTrainer(new TrainingPlan(epochs, 2, 0))
        .fit(NetworkState.of(initial), jsc.parallelize(train, 2 * rounds), null, ValidationMetric.ACCURACY)
        .network().toNetwork();
    double correct = 0;
    double steps = 0;
    for (Batch batch : test) {
      DataSet data = batch.toDataSet();
      INDArray predicted = Nd4j.argMax(trained.output(data.getFeatures()), 1);
      INDArray actual = Nd4j.argMax(data.getLabels(), 1);
      correct += predicted.eq(actual).castTo(DataType.DOUBLE).sumNumber().doubleValue();
      steps += actual.length();
    }
    double accuracy = correct / steps;
    System.out.printf("%s, %d epochs: held-out per-step accuracy %.4f%n", network, epochs, accuracy);
    return accuracy;
  }

  @Test
  void aRecurrentTaggerLabelsEveryStepWithTheRunningParity() {
    int steps = 10;
    java.util.function.Function<Random, Example> parity = random -> (x, y) -> {
      int ones = 0;
      for (int t = 0; t < steps; t++) {
        x[t] = random.nextInt(2);
        ones += (int) x[t];
        y[t] = ones % 2;
      }
    };
    double accuracy = perStepAccuracy("gru(16, sequences=true)", new long[] {steps, 1}, OutputHead.perStep(2, steps),
        batches(3000, steps, 1, 2, new Random(1), parity), batches(500, steps, 1, 2, new Random(2), parity), 6);
    assertTrue(accuracy >= 0.95, "running parity per step: " + accuracy);
  }

  @Test
  void anEncoderDecoderReversesTokenSequences() {
    int steps = 5;
    int vocabulary = 6;
    java.util.function.Function<Random, Example> reverse = random -> (x, y) -> {
      for (int t = 0; t < steps; t++) {
        int token = random.nextInt(vocabulary);
        x[t * vocabulary + token] = 1;
        y[steps - 1 - t] = token;
      }
    };
    double accuracy = perStepAccuracy("lstm(64) -> repeat(" + steps + ") -> lstm(64, sequences=true)",
        new long[] {steps, vocabulary}, OutputHead.perStep(vocabulary, steps),
        batches(4000, steps, vocabulary, vocabulary, new Random(1), reverse),
        batches(500, steps, vocabulary, vocabulary, new Random(2), reverse), 8);
    assertTrue(accuracy >= 0.9, "reversed tokens: " + accuracy);
  }
}
