package io.neuralake.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.PlainDl4j;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.weightnoise.DropConnect;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link ForwardCachingDense} against DL4J's dense layer, which DL4J gradient-checks: the same
 * parameters after training steps (bit for bit, since it runs the same operations less often),
 * the same input gradients where they are asked for, and none where they are not.
 */
class ForwardCachingDenseTest {

  private static final int BATCH = 16;
  private static final int INPUTS = 12;
  private static final int CLASSES = 3;

  private static DataSet batch(long seed, long... featureShape) {
    Nd4j.getRandom().setSeed(seed);
    INDArray features = Nd4j.randn(DataType.FLOAT, featureShape);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, CLASSES);
    for (int row = 0; row < BATCH; row++) {
      labels.putScalar(row, (row * 7) % CLASSES, 1);
    }
    return new DataSet(features, labels);
  }

  /** Networks of {@code configuration} and of its plain DL4J twin, with the same initial parameters. */
  private static MultiLayerNetwork[] fastAndPlain(MultiLayerConfiguration configuration) {
    MultiLayerNetwork fast = new MultiLayerNetwork(configuration);
    fast.init();
    MultiLayerNetwork plain = new MultiLayerNetwork(PlainDl4j.of(configuration));
    plain.init(fast.params().dup(), false);
    return new MultiLayerNetwork[] {fast, plain};
  }

  /** Trains both networks on {@code data} for {@code steps} steps with the same random draws (dropout). */
  private static void assertTrainAlike(MultiLayerNetwork[] networks, DataSet data, int steps) {
    for (int step = 0; step < steps; step++) {
      Nd4j.getRandom().setSeed(100 + step);
      networks[0].fit(data);
      Nd4j.getRandom().setSeed(100 + step);
      networks[1].fit(data);
      assertArrayEquals(networks[1].params().toFloatVector(), networks[0].params().toFloatVector(),
          "parameters after step " + (step + 1));
    }
    assertEquals(networks[1].score(), networks[0].score());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "dense(16, relu) -> dense(8, tanh)",
      "dense(10, sigmoid) -> dense(9, leakyrelu) -> dense(7, identity)",
      "dense(16, relu) -> dropout(0.5) -> dense(8, relu)"})
  void trainsBitForBitAsDl4jDoes(String spec) {
    MultiLayerConfiguration configuration = NetworkSpec.parse(spec).toDl4j(new long[] {INPUTS},
        OutputHead.classification(CLASSES), Hyperparameters.defaults(4));
    MultiLayerNetwork[] networks = fastAndPlain(configuration);
    assertInstanceOf(ForwardCachingDenseLayer.class, networks[0].getLayer(0));
    assertFalse(networks[1].getLayer(0) instanceof ForwardCachingDenseLayer);
    assertTrainAlike(networks, batch(1, BATCH, INPUTS), 5);
  }

  @Test
  void aLayersOwnDropoutIsDrawnOnceAndAppliedAsDl4jDoes() {
    MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01))
        .list()
        .layer(ForwardCachingDense.of(new DenseLayer.Builder().nIn(INPUTS).nOut(10).activation(Activation.RELU)))
        .layer(ForwardCachingDense.of(new DenseLayer.Builder().nOut(8).dropOut(0.7).activation(Activation.TANH)))
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
            .activation(Activation.SOFTMAX).build())
        .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(INPUTS))
        .build();
    assertTrainAlike(fastAndPlain(configuration), batch(2, BATCH, INPUTS), 4);
  }

  @Test
  void aDenseLayerOverSequenceStepsTrainsAsDl4jDoes() {
    MultiLayerConfiguration configuration = NetworkSpec.parse("dense(6, relu) -> lstm(5)").toDl4j(
        new long[] {4, INPUTS / 4}, OutputHead.classification(CLASSES), Hyperparameters.defaults(6));
    assertTrainAlike(fastAndPlain(configuration), batch(3, BATCH, INPUTS), 4);
  }

  @Test
  void weightNoiseKeepsDl4jsCode() {
    MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01))
        .list()
        .layer(ForwardCachingDense.of(new DenseLayer.Builder().nIn(INPUTS).nOut(10).activation(Activation.RELU)
            .weightNoise(new DropConnect(0.8))))
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
            .activation(Activation.SOFTMAX).build())
        .build();
    assertTrainAlike(fastAndPlain(configuration), batch(4, BATCH, INPUTS), 3);
  }

  @Test
  void theFirstLayerOfABuiltNetworkComputesNoInputGradientAndTheOthersDo() {
    MultiLayerConfiguration configuration = NetworkSpec.parse("dense(16, relu) -> dense(8, tanh)").toDl4j(
        new long[] {INPUTS}, OutputHead.classification(CLASSES), Hyperparameters.defaults(4));
    assertFalse(((ForwardCachingDense) configuration.getConf(0).getLayer()).isInputGradient());
    assertTrue(((ForwardCachingDense) configuration.getConf(1).getLayer()).isInputGradient());
    DataSet data = batch(5, BATCH, INPUTS);
    MultiLayerNetwork[] networks = fastAndPlain(configuration);
    Pair<Gradient, INDArray> fast = networks[0].calculateGradients(data.getFeatures(), data.getLabels(), null, null);
    Pair<Gradient, INDArray> plain = networks[1].calculateGradients(data.getFeatures(), data.getLabels(), null, null);
    assertNull(fast.getSecond(), "no gradient with respect to the network's input");
    assertNotNull(plain.getSecond());
    assertArrayEquals(plain.getFirst().gradient().toFloatVector(), fast.getFirst().gradient().toFloatVector());

    ((ForwardCachingDense) configuration.getConf(0).getLayer()).setInputGradient(true);
    MultiLayerNetwork asked = new MultiLayerNetwork(configuration);
    asked.init(networks[1].params().dup(), false);
    assertArrayEquals(plain.getSecond().ravel().toFloatVector(),
        asked.calculateGradients(data.getFeatures(), data.getLabels(), null, null).getSecond().ravel().toFloatVector(),
        "the input gradient where it is asked for");
  }

  @Test
  void configurationKeepsItsClassAndFlagThroughJsonAndPlainDl4jSwapsItBack() {
    MultiLayerConfiguration configuration = NetworkSpec.parse("dense(16, relu) -> dense(8, tanh)").toDl4j(
        new long[] {INPUTS}, OutputHead.classification(CLASSES), Hyperparameters.defaults(4));
    MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(configuration.toJson());
    assertEquals(configuration, restored);
    assertFalse(assertInstanceOf(ForwardCachingDense.class, restored.getConf(0).getLayer()).isInputGradient());
    assertTrue(assertInstanceOf(ForwardCachingDense.class, restored.getConf(1).getLayer()).isInputGradient());
    assertEquals(DenseLayer.class, PlainDl4j.of(configuration).getConf(0).getLayer().getClass());
  }
}
