package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class NetworkStateTest {

  @Test
  void withoutUpdaterStateScoresAsTheWholeState() {
    Nd4j.getRandom().setSeed(11);
    MultiLayerNetwork network = new MultiLayerNetwork(NetworkSpec.parse("dense(16, relu) -> dense(8, tanh)")
        .toDl4j(new long[] {12}, OutputHead.classification(3), Hyperparameters.defaults(11)));
    network.init();
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 10, 3);
    for (int row = 0; row < 10; row++) {
      labels.putScalar(row, row % 3, 1);
    }
    DataSet batch = new DataSet(Nd4j.randn(DataType.FLOAT, 10, 12), labels);
    network.fit(batch);
    NetworkState whole = NetworkState.of(network);
    boolean adamMoved = false;
    for (float value : whole.updaterState()) {
      adamMoved |= value != 0;
    }
    assertTrue(adamMoved, "Adam's state after a step");

    NetworkState lean = whole.withoutUpdaterState();

    assertEquals(0, lean.updaterState().length);
    assertEquals(whole.configurationJson(), lean.configurationJson());
    assertArrayEquals(whole.parameters(), lean.parameters());
    INDArray features = Nd4j.randn(DataType.FLOAT, 5, 12);
    assertArrayEquals(whole.toNetwork().output(features).ravel().toFloatVector(),
        lean.toNetwork().output(features).ravel().toFloatVector());
    assertEquals(whole.toNetwork().score(batch), lean.toNetwork().score(batch), 0.0);
  }
}
