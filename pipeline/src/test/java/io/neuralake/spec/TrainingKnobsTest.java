package io.neuralake.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.testdata.Digits;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Each training knob changes training as it claims, on real digits batches in one JVM. */
class TrainingKnobsTest {

  private static DataSet digits;

  @BeforeAll
  static void load() {
    List<double[]> rows = Digits.rows().subList(0, 256);
    INDArray features = Nd4j.create(rows.size(), Digits.PIXELS);
    INDArray labels = Nd4j.zeros(rows.size(), 10);
    for (int i = 0; i < rows.size(); i++) {
      double[] row = rows.get(i);
      for (int p = 0; p < Digits.PIXELS; p++) {
        features.putScalar(i, p, row[p] / 16.0);
      }
      labels.putScalar(i, (int) row[Digits.PIXELS], 1.0);
    }
    digits = new DataSet(features.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT),
        labels.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
  }

  private static MultiLayerNetwork network(NetworkSpec spec, Hyperparameters hyper) {
    MultiLayerNetwork network = new MultiLayerNetwork(spec.toDl4j(new long[] {Digits.PIXELS},
        OutputHead.classification(10), hyper));
    network.init();
    return network;
  }

  private static Hyperparameters hyper(Optimizer optimizer, double rate, WeightInitScheme init,
                                       LearningRateSchedule schedule, GradientClipping clipping, double maxNorm) {
    return new Hyperparameters(optimizer, rate, 0.9, 0, 0, init, 7, schedule, clipping, maxNorm);
  }

  @Test
  void zeroInitLeavesHiddenUnitsIdenticalAfterTraining() {
    MultiLayerNetwork network = network(NetworkSpec.builder().dense(8).sigmoid().build(),
        hyper(Optimizer.SGD, 0.5, WeightInitScheme.ZERO, LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    for (int i = 0; i < 20; i++) {
      network.fit(digits);
    }
    INDArray weights = network.getLayer(0).getParam("W");
    assertTrue(weights.norm2Number().doubleValue() > 0, "the hidden weights moved");
    for (int unit = 1; unit < 8; unit++) {
      assertEquals(weights.getColumn(0), weights.getColumn(unit), "hidden unit " + unit + " is a copy of unit 0");
    }
  }

  @Test
  void orthogonalInitGivesOrthonormalColumns() {
    MultiLayerNetwork network = network(NetworkSpec.mlp(16),
        hyper(Optimizer.SGD, 0.1, WeightInitScheme.ORTHOGONAL, LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    INDArray weights = network.getLayer(0).getParam("W");
    INDArray gram = weights.transpose().mmul(weights);
    assertTrue(gram.sub(Nd4j.eye(16).castTo(gram.dataType())).amaxNumber().doubleValue() < 1e-4, "WᵀW = I: " + gram);
  }

  @Test
  void normClippingBoundsEachLayersUpdate() {
    double threshold = 0.05;
    double unclipped = largestLayerStep(GradientClipping.NONE);
    double clipped = largestLayerStep(new GradientClipping("norm", threshold));
    assertTrue(unclipped > threshold * 2, "without clipping a step is larger: " + unclipped);
    assertTrue(clipped <= threshold * (1 + 1e-4), "with clipping each layer's step is at most " + threshold + ": " + clipped);
  }

  @Test
  void valueClippingBoundsEachElementOfTheUpdate() {
    MultiLayerNetwork network = network(NetworkSpec.mlp(32), hyper(Optimizer.SGD, 1.0, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, new GradientClipping("value", 0.001), 0));
    INDArray before = network.params().dup();
    network.fit(digits);
    assertTrue(network.params().sub(before).amaxNumber().doubleValue() <= 0.001 + 1e-7);
  }

  /** With SGD at learning rate 1 a step equals the (clipped) gradient: the largest per-layer L2 norm of one step. */
  private static double largestLayerStep(GradientClipping clipping) {
    MultiLayerNetwork network = network(NetworkSpec.mlp(32), hyper(Optimizer.SGD, 1.0, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, clipping, 0));
    INDArray[] before = {network.getLayer(0).params().dup(), network.getLayer(1).params().dup()};
    network.fit(digits);
    return Math.max(network.getLayer(0).params().sub(before[0]).norm2Number().doubleValue(),
        network.getLayer(1).params().sub(before[1]).norm2Number().doubleValue());
  }

  @Test
  void maxNormBoundsEveryUnitsIncomingWeights() {
    double maxNorm = 0.5;
    MultiLayerNetwork free = network(NetworkSpec.mlp(32), hyper(Optimizer.ADAM, 0.05, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    MultiLayerNetwork bounded = network(NetworkSpec.mlp(32), hyper(Optimizer.ADAM, 0.05, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, GradientClipping.NONE, maxNorm));
    for (int i = 0; i < 30; i++) {
      free.fit(digits);
      bounded.fit(digits);
    }
    assertTrue(free.getLayer(0).getParam("W").norm2(0).maxNumber().doubleValue() > maxNorm, "unconstrained norms grow");
    for (int layer = 0; layer < 2; layer++) {
      double largest = bounded.getLayer(layer).getParam("W").norm2(0).maxNumber().doubleValue();
      assertTrue(largest <= maxNorm + 1e-5, "layer " + layer + " unit norm " + largest);
    }
  }

  @Test
  void maxNormBoundsEachFilterOfConvolutionsAndDeconvolutions() {
    double maxNorm = 0.3;
    MultiLayerNetwork free = convolutions(0);
    MultiLayerNetwork bounded = convolutions(maxNorm);
    for (int i = 0; i < 20; i++) {
      free.fit(digits);
      bounded.fit(digits);
    }
    assertTrue(free.getLayer(0).getParam("W").norm2(1, 2, 3).maxNumber().doubleValue() > 2 * maxNorm,
        "unconstrained filters grow");
    // DL4J's convolution weights are [filters, inputs, kH, kW], its deconvolution's [inputs, filters, kH, kW].
    INDArray conv = bounded.getLayer(0).getParam("W");
    INDArray deconv = bounded.getLayer(1).getParam("W");
    assertEquals(6, conv.size(0));
    assertEquals(4, deconv.size(1));
    INDArray convNorms = conv.norm2(1, 2, 3);
    INDArray deconvNorms = deconv.norm2(0, 2, 3);
    assertTrue(convNorms.maxNumber().doubleValue() <= maxNorm + 1e-5, "conv filter norms " + convNorms);
    assertTrue(deconvNorms.maxNumber().doubleValue() <= maxNorm + 1e-5, "deconv filter norms " + deconvNorms);
  }

  private static MultiLayerNetwork convolutions(double maxNorm) {
    NetworkSpec spec = NetworkSpec.parse("conv(6, 3) -> deconv(4, 2, stride=2) -> pool(max, 2)");
    MultiLayerNetwork network = new MultiLayerNetwork(spec.toDl4j(new long[] {1, 8, 8}, OutputHead.classification(10),
        hyper(Optimizer.ADAM, 0.05, WeightInitScheme.XAVIER, LearningRateSchedule.CONSTANT, GradientClipping.NONE,
            maxNorm)));
    network.init();
    return network;
  }

  @Test
  void schedulesFollowTheirFormulasAfterWarmUp() throws Exception {
    double rate = 0.1;
    assertEquals(rate * 0.5 * 0.5, LearningRateSchedule.parse("step(0.5, 100)", 0).toDl4j(rate).valueAt(250, 0), 1e-12);
    assertEquals(rate * Math.pow(0.99, 50), LearningRateSchedule.parse("exponential(0.99)", 0).toDl4j(rate)
        .valueAt(50, 0), 1e-12);
    assertEquals(rate * 0.5, LearningRateSchedule.parse("cosine(200)", 0).toDl4j(rate).valueAt(100, 0), 1e-12);
    assertEquals(0, LearningRateSchedule.parse("cosine(200)", 0).toDl4j(rate).valueAt(500, 0), 1e-12);
    assertEquals(rate * 11 / 20.0, LearningRateSchedule.parse("constant", 20).toDl4j(rate).valueAt(10, 0), 1e-12,
        "warm-up ramps linearly");
    assertEquals(null, LearningRateSchedule.CONSTANT.toDl4j(rate));
    org.nd4j.linalg.schedule.ISchedule warm = LearningRateSchedule.parse("cosine(200)", 20).toDl4j(rate);
    assertEquals(warm, org.nd4j.shade.jackson.databind.json.JsonMapper.builder().build()
        .readValue(org.deeplearning4j.nn.conf.NeuralNetConfiguration.mapper().writeValueAsString(warm),
            org.nd4j.linalg.schedule.ISchedule.class), "warm-up and cosine read back from JSON");
  }

  @Test
  void aScheduleDrivesTheLearningRateDuringTraining() {
    MultiLayerNetwork network = network(NetworkSpec.mlp(16), hyper(Optimizer.SGD, 0.1, WeightInitScheme.XAVIER,
        LearningRateSchedule.parse("step(0.1, 5)", 0), GradientClipping.NONE, 0));
    assertEquals(0.1, network.getLearningRate(0), 1e-9);
    for (int i = 0; i < 5; i++) {
      network.fit(digits);
    }
    assertEquals(0.01, network.getLearningRate(0), 1e-9, "one decay after five iterations");
    MultiLayerNetwork copy = new MultiLayerNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(
        network.getLayerWiseConfigurations().toJson()));
    copy.init();
    assertEquals(0.01, copy.getLearningRate(0), 1e-9, "the schedule survives the JSON configuration");
  }

  @Test
  void invalidKnobsNameTheProblem() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear(3)", 0));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> GradientClipping.parse("norm"))
        .getMessage().contains("use none, norm(t) or value(t)"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputHead.classification(2, Loss.MSE))
        .getMessage().contains("softmax with mse on a binary label"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputHead.classification(3, Loss.BINARY_CROSSENTROPY))
        .getMessage().contains("binary_crossentropy needs a label with 2 classes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OutputHead.regression(Loss.CROSSENTROPY))
        .getMessage().contains("a regressor takes mse or mae"));
  }

  @Test
  void activationsAreTheNamedFunctions() {
    INDArray x = Nd4j.createFromArray(-2.0f, -0.5f, 0f, 1.5f);
    assertEquals(Transforms.relu(x, true), Activation.RELU.dl4j().getActivationFunction().getActivation(x.dup(), false));
    assertEquals(Transforms.tanh(x, true), Activation.TANH.dl4j().getActivationFunction().getActivation(x.dup(), false));
    assertEquals(Transforms.sigmoid(x, true),
        Activation.SIGMOID.dl4j().getActivationFunction().getActivation(x.dup(), false));
    assertEquals(-0.02f, Activation.LEAKYRELU.dl4j().getActivationFunction().getActivation(x.dup(), false)
        .getFloat(0), 1e-6, "leaky relu keeps 1% of negatives");
    assertEquals(1.0, Activation.SOFTMAX.dl4j().getActivationFunction().getActivation(x.dup().reshape(1, 4), false)
        .sumNumber().doubleValue(), 1e-6);
  }

  @Test
  void l2ShrinksWeightsAndL1ZeroesThem() {
    double plain = trainedWeights(0, 0).norm2Number().doubleValue();
    double withL2 = trainedWeights(0, 0.05).norm2Number().doubleValue();
    assertTrue(withL2 < 0.8 * plain, "L2 shrinks the weight norm: " + withL2 + " vs " + plain);
    double zerosPlain = nearZeroShare(trainedWeights(0, 0));
    double zerosL1 = nearZeroShare(trainedWeights(0.005, 0));
    assertTrue(zerosL1 > zerosPlain + 0.2, "L1 zeroes weights: " + zerosL1 + " vs " + zerosPlain);
  }

  private static INDArray trainedWeights(double l1, double l2) {
    MultiLayerNetwork network = network(NetworkSpec.mlp(32),
        new Hyperparameters(Optimizer.SGD, 0.5, 0.9, l1, l2, WeightInitScheme.XAVIER, 7));
    for (int i = 0; i < 100; i++) {
      network.fit(digits);
    }
    return network.getLayer(0).getParam("W");
  }

  private static double nearZeroShare(INDArray weights) {
    return Transforms.abs(weights).lt(1e-3).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
  }

  @Test
  void dropoutDropsItsRateOfUnitsInTrainingOnly() {
    MultiLayerNetwork network = network(NetworkSpec.builder().dense(64).sigmoid().dropout(0.3).build(),
        hyper(Optimizer.SGD, 0.1, WeightInitScheme.XAVIER, LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    INDArray training = network.feedForward(digits.getFeatures(), true).get(2);
    double dropped = training.eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue();
    assertEquals(0.3, dropped, 0.02, "share of dropped units in training");
    INDArray inference = network.feedForward(digits.getFeatures(), false).get(2);
    assertEquals(0.0, inference.eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).meanNumber().doubleValue());
    assertEquals(network.output(digits.getFeatures(), false), network.output(digits.getFeatures(), false));
  }

  @Test
  void everyOptimizerLowersTheLossAndMomentumChangesTheSteps() {
    for (Optimizer optimizer : Optimizer.values()) {
      MultiLayerNetwork network = network(NetworkSpec.mlp(32), hyper(optimizer, optimizer == Optimizer.SGD
          || optimizer == Optimizer.MOMENTUM || optimizer == Optimizer.NESTEROV ? 0.1 : 0.01, WeightInitScheme.XAVIER,
          LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
      double before = network.score(digits);
      for (int i = 0; i < 30; i++) {
        network.fit(digits);
      }
      assertTrue(network.score(digits) < 0.8 * before, optimizer + ": " + before + " -> " + network.score(digits));
    }
    MultiLayerNetwork sgd = network(NetworkSpec.mlp(32), hyper(Optimizer.SGD, 0.1, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    MultiLayerNetwork momentum = network(NetworkSpec.mlp(32), hyper(Optimizer.MOMENTUM, 0.1, WeightInitScheme.XAVIER,
        LearningRateSchedule.CONSTANT, GradientClipping.NONE, 0));
    for (int i = 0; i < 3; i++) {
      sgd.fit(digits);
      momentum.fit(digits);
    }
    assertTrue(sgd.params().sub(momentum.params()).amaxNumber().doubleValue() > 1e-4, "momentum accumulates");
  }
}
