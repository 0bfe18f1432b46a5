package io.neuralake.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The shapes a spec computes, O = (I + 2p − K)/s + 1 and friends, against DL4J's real tensors. */
class ConvolutionShapesTest {

  private static final OutputHead HEAD = OutputHead.classification(3);

  /** The activation shapes DL4J produces for each hidden layer, batch dimension dropped. */
  private static List<long[]> dl4jShapes(NetworkSpec spec, long[] inputShape) {
    MultiLayerNetwork network = new MultiLayerNetwork(spec.toDl4j(inputShape, HEAD, Hyperparameters.defaults(1)));
    network.init();
    INDArray input = Nd4j.rand(2, (int) Arrays.stream(inputShape).reduce(1, (a, b) -> a * b));
    List<INDArray> activations = network.feedForward(input, false);
    return activations.subList(1, spec.layers().size() + 1).stream()
        .map(a -> Arrays.copyOfRange(a.shape(), 1, a.rank())).toList();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = ';', value = {
      "conv(8, 3, stride=1, padding=1); 3,28,28; 8,28,28",
      "conv(4, 3, stride=2, padding=valid); 1,28,28; 4,13,13",
      "conv(4, 5, stride=2, padding=same); 1,28,28; 4,14,14",
      "conv(2, 3, stride=3, padding=2); 1,10,10; 2,4,4",
      "pool(max, 2); 2,28,28; 2,14,14",
      "pool(avg, 3, stride=2); 2,28,28; 2,13,13",
      "pool(max, 3, stride=2, padding=same); 2,7,7; 2,4,4",
      "deconv(2, 2, stride=2); 3,7,7; 2,14,14",
      "deconv(2, 3, stride=1, padding=same); 3,7,7; 2,7,7",
      "upsample(2); 3,5,5; 3,10,10",
      "globalpool(avg); 6,5,5; 6",
      "batchnorm(); 4,6,6; 4,6,6"})
  void specShapesMatchDl4jTensors(String layer, String input, String expected) {
    NetworkSpec spec = NetworkSpec.parse(layer);
    long[] inputShape = longs(input);
    long[] specShape = spec.outputShapes(inputShape).get(0);
    assertArrayEquals(longs(expected), specShape, "formula");
    assertArrayEquals(specShape, dl4jShapes(spec, inputShape).get(0), "DL4J tensor");
  }

  @Test
  void aSmallCnnHasTheShapesAndParameterCountsOfItsSummary() {
    NetworkSpec cnn = NetworkSpec.builder().conv(8, 3, 1, Padding.same()).batchNorm().maxPool(2)
        .conv(16, 3).relu().maxPool(2).dense(32).dropout(0.25).build();
    long[] input = {1, 28, 28};
    List<long[]> expected = cnn.outputShapes(input);
    List<long[]> actual = dl4jShapes(cnn, input);
    for (int i = 0; i < expected.size(); i++) {
      // DL4J flattens into dense layers; the spec says (units) where DL4J says (units) too.
      assertArrayEquals(expected.get(i), actual.get(i), cnn.layerName(i));
    }
    MultiLayerNetwork network = new MultiLayerNetwork(cnn.toDl4j(input, HEAD, Hyperparameters.defaults(1)));
    network.init();
    String summary = cnn.summary(input, HEAD);
    assertTrue(summary.contains(String.format("Total params: %,d", network.numParams())), summary);
    assertTrue(summary.contains("pool_4 (pool(max, 2, stride=2, padding=valid))       (batch, 16, 6, 6)"), summary);
  }

  @Test
  void aKernelLargerThanItsInputIsRefusedBeforeTraining() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("pool(max, 2) -> conv(8, 5)").toDl4j(new long[] {1, 6, 6}, HEAD,
            Hyperparameters.defaults(1)));
    assertTrue(e.getMessage().contains("layer conv_1 (conv(8, 5, stride=1, padding=valid, relu)): conv kernel 5 is "
        + "larger than its input of 3"), e.getMessage());
  }

  @Test
  void imageLayersNeedAnImageShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("conv(8, 3)").outputShapes(new long[] {784}));
    assertTrue(e.getMessage().contains("conv needs an image input (channels, height, width) but gets [784]"),
        e.getMessage());
  }

  @Test
  void convolutionSpecsRoundTripThroughBothTextForms() {
    NetworkSpec spec = NetworkSpec.parse(
        "conv(32, 3, padding=same, tanh) -> pool(avg, 2, stride=1) -> batchnorm() -> deconv(4, 2, stride=2) "
            + "-> upsample(2) -> globalpool(max) -> dense(10, sigmoid)");
    assertEquals(spec, NetworkSpec.parse(spec.toText()));
    assertEquals(spec, NetworkSpec.parse(spec.toJson()));
    assertEquals(new ConvSpec(32, 3, 1, Padding.same(), Activation.TANH), spec.layers().get(0));
    assertEquals(new PoolSpec(false, 2, 1, Padding.valid()), spec.layers().get(1));
  }

  private static long[] longs(String csv) {
    return Arrays.stream(csv.split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
  }
}
