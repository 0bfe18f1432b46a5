package io.neuralake.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class NetworkSpecTest {

  private static final NetworkSpec BUILT = NetworkSpec.builder().dense(256).relu().dropout(0.2).dense(128).tanh().build();

  @Test
  void builderCompactTextAndJsonDescribeTheSameNetwork() {
    NetworkSpec compact = NetworkSpec.parse("dense(256, relu) -> dropout(0.2) -> dense(128, tanh)");
    assertEquals(BUILT, compact);
    assertEquals(BUILT, NetworkSpec.parse(BUILT.toJson()));
    assertEquals(BUILT, NetworkSpec.parse(BUILT.toText()));
    assertEquals(List.of(new DenseSpec(256, Activation.RELU), new DropoutSpec(0.2), new DenseSpec(128, Activation.TANH)),
        BUILT.layers());
  }

  @Test
  void denseLayersDefaultToRelu() {
    assertEquals(NetworkSpec.mlp(64, 32), NetworkSpec.parse("dense(64) -> dense(32)"));
  }

  @Test
  void summaryCountsTheParametersDl4jCreates() {
    OutputHead head = OutputHead.classification(10);
    MultiLayerNetwork network = new MultiLayerNetwork(BUILT.toDl4j(new long[] {784}, head, Hyperparameters.defaults(1)));
    network.init();
    String summary = BUILT.summary(new long[] {784}, head);
    assertEquals(235_146, network.numParams());
    assertTrue(summary.contains("Total params: 235,146"), summary);
    assertTrue(summary.contains("dense_0 (dense(256, relu))"), summary);
    assertTrue(summary.contains("(batch, 128)"), summary);
    assertEquals("dense_0", network.getLayer(0).conf().getLayer().getLayerName());
    assertEquals(NetworkSpec.OUTPUT_NAME, network.getLayer(3).conf().getLayer().getLayerName());
  }

  @Test
  void wrapsARawDl4jConfigurationAndChecksItsSizesAgainstTheData() {
    MultiLayerConfiguration raw = new NeuralNetConfiguration.Builder().seed(3).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(8).build())
        .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(3)
            .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
        .build();
    NetworkSpec wrapped = NetworkSpec.fromDl4j(raw);
    assertTrue(wrapped.isDl4j());
    assertEquals(wrapped, NetworkSpec.parse(wrapped.toJson()));
    assertEquals(raw, wrapped.toDl4j(new long[] {4}, OutputHead.classification(3), Hyperparameters.defaults(1)));
    IllegalArgumentException inputs = assertThrows(IllegalArgumentException.class,
        () -> wrapped.toDl4j(new long[] {5}, OutputHead.classification(3), Hyperparameters.defaults(1)));
    assertTrue(inputs.getMessage().contains("takes 4 inputs but the features column has 5"), inputs.getMessage());
    IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class,
        () -> wrapped.toDl4j(new long[] {4}, OutputHead.classification(2), Hyperparameters.defaults(1)));
    assertTrue(outputs.getMessage().contains("has 3 outputs but the label needs 2"), outputs.getMessage());
  }

  @Test
  void badTextNamesTheProblem() {
    assertMessage("unknown layer 'lstn'; known layers: attention, batchnorm, conv, deconv, dense, dropout",
        () -> NetworkSpec.parse("dense(8) -> lstn(3)"));
    assertMessage("lstm bidirectional must be true or false, got 'yes'", () -> NetworkSpec.parse("lstm(3, bidirectional=yes)"));
    assertMessage("unknown activation 'relux'", () -> NetworkSpec.parse("dense(8, relux)"));
    assertMessage("cannot read layer 'dense 8'", () -> NetworkSpec.parse("dense 8"));
    assertMessage("dropout rate must be in [0, 1)", () -> NetworkSpec.parse("dense(8) -> dropout(1.5)"));
    assertMessage("dense lacks the argument 'units'", () -> NetworkSpec.parse("{\"layers\":[{\"type\":\"dense\"}]}"));
    assertMessage("must follow a dense, conv or deconv layer", () -> NetworkSpec.builder().dropout(0.1).relu());
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
    Exception e = assertThrows(RuntimeException.class, executable);
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
  }
}
