package io.neuralake.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testing.DoublePrecision;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Truncated backpropagation through time: the forward pass is unchanged, and the loss on the final
 * state reaches only the inputs of the segment it lies in, exactly as full BPTT reaches them.
 */
@ExtendWith(DoublePrecision.class)
class TruncatedBpttTest {

  private static final int STEPS = 8;
  private static final int FEATURES = 2;
  private static final int ROWS = 4;

  @Test
  void gradientsStopAtTheLastSegmentsStart() {
    // Segments of 3 steps: [0, 3), [3, 6), [6, 8); the final state lies in the last one.
    double[] full = inputGradientPerStep("gru(4)");
    double[] truncated = inputGradientPerStep("gru(4, tbptt=3)");
    for (int t = 0; t < STEPS; t++) {
      assertTrue(full[t] > 1e-6, "full BPTT reaches step " + t);
      if (t < 6) {
        assertEquals(0.0, truncated[t], "no gradient crosses into step " + t);
      } else {
        assertEquals(full[t], truncated[t], 1e-12, "step " + t + " is in the final state's segment");
      }
    }
  }

  @Test
  void eachDirectionTruncatesInItsOwnReadingOrder() {
    // Forward reads 0..7 (last segment 6, 7); backward reads 7..0 in segments {7,6,5}, {4,3,2}, {1,0}.
    double[] truncated = inputGradientPerStep("lstm(3, bidirectional=true, tbptt=3)");
    for (int t = 0; t < STEPS; t++) {
      if (t >= 2 && t < 6) {
        assertEquals(0.0, truncated[t], "step " + t + " is outside both directions' final segments");
      } else {
        assertTrue(truncated[t] > 1e-6, "step " + t + " is in one direction's final segment");
      }
    }
  }

  @Test
  void aSegmentAsLongAsTheSequenceIsFullBptt() {
    assertArrayEquals(inputGradientPerStep("lstm(4)"), inputGradientPerStep("lstm(4, tbptt=8)"), 1e-12);
  }

  @Test
  void forwardPassIsUnchanged() {
    INDArray input = input();
    assertEquals(network("gru(4)").output(input), network("gru(4, tbptt=2)").output(input));
  }

  /** The norm of the loss's gradient with respect to each step's input, over all rows and features. */
  private static double[] inputGradientPerStep(String text) {
    MultiLayerNetwork net = network(text);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, ROWS, 3);
    for (int i = 0; i < ROWS; i++) {
      labels.putScalar(i, i % 3, 1.0);
    }
    INDArray gradient = net.calculateGradients(input(), labels, null, null).getSecond();
    INDArray perStep = gradient.reshape(ROWS, STEPS, FEATURES);
    double[] norms = new double[STEPS];
    for (int t = 0; t < STEPS; t++) {
      norms[t] = perStep.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).norm2Number().doubleValue();
    }
    return norms;
  }

  private static MultiLayerNetwork network(String text) {
    Hyperparameters sgd = new Hyperparameters(Optimizer.SGD, 1.0, 0.9, 0, 0, WeightInitScheme.XAVIER, 42);
    MultiLayerConfiguration conf = NetworkSpec.parse(text)
        .toDl4j(new long[] {STEPS, FEATURES}, OutputHead.classification(3), sgd);
    conf.setDataType(DataType.DOUBLE);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static INDArray input() {
    Nd4j.getRandom().setSeed(7);
    return Nd4j.rand(DataType.DOUBLE, ROWS, STEPS * FEATURES).subi(0.5);
  }
}
