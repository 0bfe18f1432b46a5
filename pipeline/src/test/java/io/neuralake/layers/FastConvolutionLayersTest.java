package io.neuralake.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.PlainDl4j;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link GemmConvolution} and {@link VectorizedPooling} against DL4J's own layers, which DL4J
 * gradient-checks: the same outputs, parameter gradients and input gradients, layer by layer and
 * over whole training steps.
 */
class FastConvolutionLayersTest {

  private static final int BATCH = 6;
  private static final int CLASSES = 4;

  /** The network of {@code spec} on {@code inputShape}, built by Neuralake, and the same in plain DL4J. */
  private static MultiLayerNetwork[] fastAndPlain(String spec, long[] inputShape, DataType type) {
    MultiLayerConfiguration fast = NetworkSpec.parse(spec).toDl4j(inputShape, OutputHead.classification(CLASSES),
        Hyperparameters.defaults(3));
    MultiLayerConfiguration plain = PlainDl4j.of(fast);
    fast.setDataType(type);
    plain.setDataType(type);
    MultiLayerNetwork fastNetwork = new MultiLayerNetwork(fast);
    fastNetwork.init();
    MultiLayerNetwork plainNetwork = new MultiLayerNetwork(plain);
    plainNetwork.init(fastNetwork.params().dup(), false);
    fastNetwork.initGradientsView();
    plainNetwork.initGradientsView();
    return new MultiLayerNetwork[] {fastNetwork, plainNetwork};
  }

  /** Random inputs where about a third of the values tie at zero, as after a ReLU. */
  private static INDArray images(long[] shape, DataType type, long seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray values = Nd4j.randn(type, shape);
    return Transforms.relu(values.subi(0.5), false);
  }

  private static INDArray labels(DataType type) {
    INDArray labels = Nd4j.zeros(type, BATCH, CLASSES);
    for (int row = 0; row < BATCH; row++) {
      labels.putScalar(row, row % CLASSES, 1);
    }
    return labels;
  }

  /** Runs layer 0 of {@code network} forward and back; returns its output, input gradient and parameter gradient. */
  private static INDArray[] forwardAndBack(MultiLayerNetwork network, INDArray input, long seed) {
    Layer layer = network.getLayer(0);
    LayerWorkspaceMgr workspaces = LayerWorkspaceMgr.noWorkspaces();
    layer.setInput(input.dup(), workspaces);
    INDArray output = layer.activate(true, workspaces).dup();
    Nd4j.getRandom().setSeed(seed);
    INDArray epsilon = Nd4j.randn(input.dataType(), output.shape());
    Pair<Gradient, INDArray> backward = layer.backpropGradient(epsilon, workspaces);
    INDArray parameterGradient = layer.numParams() == 0 ? Nd4j.zeros(input.dataType(), 1)
        : layer.getGradientsViewArray().dup();
    return new INDArray[] {output, backward.getSecond().dup(), parameterGradient};
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
    double scale = Math.max(1, expected.amaxNumber().doubleValue());
    double difference = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    assertTrue(difference <= tolerance * scale, what + " differs by " + difference + " (scale " + scale + ")");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "conv(5, 3, stride=1, padding=same, relu); 3,12,12",
      "conv(5, 3, stride=2, padding=same, relu); 3,13,13",
      "conv(4, 3, stride=1, padding=valid, tanh); 2,11,11",
      "conv(4, 5, stride=2, padding=2, identity); 2,12,12",
      "conv(3, 2, stride=3, padding=1, sigmoid); 1,10,10"})
  void convolutionMatchesDl4jForwardAndBack(String spec, String shape) {
    long[] inputShape = java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
    MultiLayerNetwork[] networks = fastAndPlain(spec, inputShape, DataType.FLOAT);
    GemmConvolutionLayer fast = assertInstanceOf(GemmConvolutionLayer.class, networks[0].getLayer(0));
    assertTrue(fast.handlesHere());
    assertFalse(networks[1].getLayer(0) instanceof GemmConvolutionLayer);
    INDArray input = images(new long[] {BATCH, inputShape[0], inputShape[1], inputShape[2]}, DataType.FLOAT, 5);
    INDArray[] expected = forwardAndBack(networks[1], input, 9);
    INDArray[] actual = forwardAndBack(networks[0], input, 9);
    assertClose(expected[0], actual[0], 1e-5, "output");
    assertClose(expected[1], actual[1], 1e-5, "input gradient");
    assertClose(expected[2], actual[2], 1e-5, "weight and bias gradients");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "pool(max, 2); 3,12,12",
      "pool(max, 2, stride=2, padding=same); 2,7,7",
      "pool(max, 3, stride=2, padding=same); 2,8,8",
      "pool(max, 3, stride=1, padding=1); 2,6,6",
      "pool(max, 3, stride=2); 1,9,9"})
  void maxPoolingMatchesDl4jIncludingTiesAndPadding(String spec, String shape) {
    long[] inputShape = java.util.Arrays.stream(shape.split(",")).mapToLong(Long::parseLong).toArray();
    MultiLayerNetwork[] networks = fastAndPlain(spec, inputShape, DataType.FLOAT);
    VectorizedPoolingLayer fast = assertInstanceOf(VectorizedPoolingLayer.class, networks[0].getLayer(0));
    assertTrue(fast.handlesHere());
    INDArray input = images(new long[] {BATCH, inputShape[0], inputShape[1], inputShape[2]}, DataType.FLOAT, 7);
    INDArray[] expected = forwardAndBack(networks[1], input, 4);
    INDArray[] actual = forwardAndBack(networks[0], input, 4);
    assertClose(expected[0], actual[0], 0, "output");
    assertClose(expected[1], actual[1], 1e-6, "input gradient");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "conv(4, 3, stride=1, padding=same, relu); 120",
      "conv(4, 3, stride=1, padding=same, tanh); 120",
      "pool(max, 2); 600"})
  void largeBatchesGoThroughInChunks(String spec, int images) {
    long[] inputShape = {8, 32, 32};
    MultiLayerNetwork[] networks = fastAndPlain(spec, inputShape, DataType.FLOAT);
    INDArray input = images(new long[] {images, 8, 32, 32}, DataType.FLOAT, 12);
    INDArray[] expected = forwardAndBack(networks[1], input, 13);
    INDArray[] actual = forwardAndBack(networks[0], input, 13);
    assertClose(expected[0], actual[0], 1e-5, "output");
    assertClose(expected[1], actual[1], 1e-5, "input gradient");
    assertClose(expected[2], actual[2], 1e-4, "parameter gradients");
  }

  @Test
  void averagePoolingIsLeftToDl4j() {
    MultiLayerNetwork[] networks = fastAndPlain("pool(avg, 2)", new long[] {2, 6, 6}, DataType.FLOAT);
    assertFalse(((VectorizedPoolingLayer) networks[0].getLayer(0)).handlesHere());
    INDArray input = images(new long[] {BATCH, 2, 6, 6}, DataType.FLOAT, 3);
    assertClose(forwardAndBack(networks[1], input, 2)[1], forwardAndBack(networks[0], input, 2)[1], 0, "gradient");
  }

  @Test
  void trainsAsDl4jDoesOverSteps() {
    String spec = "conv(6, 3, padding=same, relu) -> pool(max, 2) -> conv(8, 3, stride=1, padding=same, relu) "
        + "-> pool(max, 2) -> dense(16, relu)";
    long[] inputShape = {1, 12, 12};
    MultiLayerNetwork[] networks = fastAndPlain(spec, inputShape, DataType.FLOAT);
    DataSet batch = new DataSet(images(new long[] {BATCH, 1, 12, 12}, DataType.FLOAT, 1), labels(DataType.FLOAT));
    for (int step = 0; step < 5; step++) {
      networks[0].fit(batch);
      networks[1].fit(batch);
    }
    assertEquals(networks[1].score(), networks[0].score(), 1e-4);
    assertClose(networks[1].params(), networks[0].params(), 1e-4, "parameters after 5 Adam steps");
  }

  @Test
  void doublePrecisionRunsDl4jsCode() {
    MultiLayerNetwork[] networks = fastAndPlain("conv(3, 3, padding=same, relu)", new long[] {2, 6, 6},
        DataType.DOUBLE);
    assertFalse(((GemmConvolutionLayer) networks[0].getLayer(0)).handlesHere());
    INDArray input = images(new long[] {BATCH, 2, 6, 6}, DataType.DOUBLE, 8);
    assertClose(forwardAndBack(networks[1], input, 6)[2], forwardAndBack(networks[0], input, 6)[2], 0, "gradient");
  }

  @Test
  void configurationKeepsItsClassesThroughJsonAndPlainDl4jSwapsThem() {
    MultiLayerConfiguration configuration = NetworkSpec.parse("conv(4, 3, padding=same, relu) -> pool(max, 2)")
        .toDl4j(new long[] {1, 8, 8}, OutputHead.classification(CLASSES), Hyperparameters.defaults(1));
    MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(configuration.toJson());
    assertEquals(configuration, restored);
    assertInstanceOf(GemmConvolution.class, restored.getConf(0).getLayer());
    assertInstanceOf(VectorizedPooling.class, restored.getConf(1).getLayer());
    MultiLayerConfiguration plain = PlainDl4j.of(configuration);
    assertEquals(ConvolutionLayer.class, plain.getConf(0).getLayer().getClass());
    assertEquals(SubsamplingLayer.class, plain.getConf(1).getLayer().getClass());
  }
}
