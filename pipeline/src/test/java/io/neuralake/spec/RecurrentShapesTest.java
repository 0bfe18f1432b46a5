package io.neuralake.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Sequence layers: the shapes and parameter counts a spec computes against DL4J's real tensors. */
class RecurrentShapesTest {

  private static final OutputHead HEAD = OutputHead.classification(3);

  private static MultiLayerNetwork network(NetworkSpec spec, long[] inputShape) {
    MultiLayerNetwork network = new MultiLayerNetwork(spec.toDl4j(inputShape, HEAD, Hyperparameters.defaults(1)));
    network.init();
    return network;
  }

  /** Each hidden layer's activation shape without the batch; DL4J's [size, steps] read as (steps, size). */
  private static List<long[]> dl4jShapes(MultiLayerNetwork network, int layers, long[] inputShape) {
    INDArray input = Nd4j.rand(2, (int) (inputShape[0] * inputShape[1]));
    List<long[]> shapes = new ArrayList<>();
    for (INDArray a : network.feedForward(input, false).subList(1, layers + 1)) {
      shapes.add(a.rank() == 3 ? new long[] {a.size(2), a.size(1)} : new long[] {a.size(1)});
    }
    return shapes;
  }

  @ParameterizedTest(name = "{0} on {1}")
  @CsvSource(delimiter = ';', value = {
      "rnn(8); 5,3; 8",
      "lstm(8, sequences=true) -> laststep(); 5,3; 5,8",
      "gru(8, sequences=true) -> globalpool(avg); 5,3; 5,8",
      "gru(6); 7,2; 6",
      "lstm(4, bidirectional=true); 6,3; 8",
      "gru(4, bidirectional=true, sequences=true) -> laststep(); 6,3; 6,8",
      "rnn(3, bidirectional=true, sequences=true) -> globalpool(max); 4,2; 4,6",
      "dense(5, tanh) -> laststep(); 6,3; 6,5",
      "dropout(0.1) -> lstm(4); 6,3; 6,3",
      "attention(2, 6) -> laststep(); 5,3; 5,6",
      "transformer(2, 8) -> globalpool(avg); 5,4; 5,4",
      "posenc(learned) -> laststep(); 5,4; 5,4",
      "posenc(sinusoidal) -> laststep(); 5,4; 5,4",
      "lstm(4) -> repeat(3) -> gru(2, sequences=true) -> laststep(); 6,2; 4"})
  void sequenceLayerShapesAndParametersMatchDl4j(String text, String input, String expected) {
    NetworkSpec spec = NetworkSpec.parse(text);
    long[] inputShape = longs(input);
    List<long[]> specShapes = spec.outputShapes(inputShape);
    assertArrayEquals(longs(expected), specShapes.get(0), "formula");
    MultiLayerNetwork network = network(spec, inputShape);
    List<long[]> actual = dl4jShapes(network, spec.layers().size(), inputShape);
    for (int i = 0; i < specShapes.size(); i++) {
      assertArrayEquals(specShapes.get(i), actual.get(i), spec.layerName(i) + " DL4J tensor");
    }
    long[] shape = inputShape;
    for (int i = 0; i < spec.layers().size(); i++) {
      assertEquals(network.getLayer(i).numParams(), spec.layers().get(i).parameterCount(shape), spec.layerName(i));
      shape = specShapes.get(i);
    }
  }

  @Test
  void flatRowsAreReadStepByStep() {
    // One feature per step; the last step of an identity-like per-step dense layer is the last value.
    NetworkSpec spec = NetworkSpec.parse("laststep()");
    MultiLayerNetwork network = network(NetworkSpec.parse("laststep() -> dense(2)"), new long[] {4, 2});
    INDArray row = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new long[] {1, 8});
    INDArray last = network.feedForward(row, false).get(1);
    assertArrayEquals(new float[] {7, 8}, last.toFloatVector(), 0f);
    assertArrayEquals(new long[] {2}, spec.outputShapes(new long[] {4, 2}).get(0));
  }

  @Test
  void aNetworkEndingWithASequenceIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> network(NetworkSpec.parse("lstm(4, sequences=true)"), new long[] {5, 2}));
    assertTrue(e.getMessage().contains("ends with a sequence of shape [5, 4]"), e.getMessage());
    assertTrue(e.getMessage().contains("laststep()"), e.getMessage());
  }

  @Test
  void recurrentLayersNeedASequenceShape() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NetworkSpec.parse("dense(8) -> gru(4)").outputShapes(new long[] {12}));
    assertTrue(e.getMessage().contains("layer gru_1 (gru(4)): gru needs a sequence input (timesteps, features) but "
        + "gets [8]"), e.getMessage());
  }

  @Test
  void recurrentSpecsRoundTripThroughTextJsonAndDl4jJson() {
    NetworkSpec spec = NetworkSpec.builder().gru(8).bidirectional().sequences().lstm(4).tbptt(3).build();
    assertEquals("gru(8, bidirectional=true, sequences=true) -> lstm(4, tbptt=3)", spec.toText());
    assertEquals(spec, NetworkSpec.parse(spec.toText()));
    assertEquals(spec, NetworkSpec.parse(spec.toJson()));
    assertEquals("gru_0", spec.layerName(0));
    long[] input = {6, 3};
    MultiLayerConfiguration conf = spec.toDl4j(input, HEAD, Hyperparameters.defaults(1));
    MultiLayerNetwork original = new MultiLayerNetwork(conf);
    original.init();
    MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(conf.toJson());
    assertTrue(restored.toJson().contains("\"truncation\" : 3"), "the lstm's truncation survives its JSON");
    MultiLayerNetwork copy = new MultiLayerNetwork(restored);
    copy.init(original.params().dup(), false);
    INDArray rows = Nd4j.rand(3, 18);
    assertEquals(original.output(rows), copy.output(rows));
    assertTrue(spec.summary(input, HEAD).contains(String.format("Total params: %,d", original.numParams())),
        spec.summary(input, HEAD));
  }

  private static long[] longs(String csv) {
    return Arrays.stream(csv.split(",")).mapToLong(s -> Long.parseLong(s.strip())).toArray();
  }
}
