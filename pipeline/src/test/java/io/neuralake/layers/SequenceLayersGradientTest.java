package io.neuralake.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testing.DoublePrecision;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Analytic gradients of our own layers (recurrent cells, attention, transformer, position codes) against finite differences, in double precision. */
@ExtendWith(DoublePrecision.class)
class SequenceLayersGradientTest {

  private static final long[] INPUT = {5, 3};
  private static final int CLASSES = 3;

  @ParameterizedTest
  @ValueSource(strings = {
      "dense(4, tanh) -> laststep()",
      "gru(4)",
      "gru(3, bidirectional=true)",
      "gru(3, bidirectional=true, sequences=true) -> globalpool(avg)",
      "dense(4, tanh) -> gru(3, sequences=true) -> gru(2)",
      "rnn(4)",
      "rnn(3, sequences=true) -> laststep()",
      "lstm(4)",
      "lstm(3, sequences=true) -> lstm(2, bidirectional=true)",
      "attention(2, 4) -> globalpool(avg)",
      "posenc(sinusoidal) -> attention(1, 3) -> laststep()",
      "dense(4, tanh) -> posenc(learned) -> transformer(2, 6) -> globalpool(max)"})
  void gradientsMatchFiniteDifferences(String network) {
    // The check needs plain SGD at rate 1 so that the update is the gradient itself.
    Hyperparameters sgd = new Hyperparameters(Optimizer.SGD, 1.0, 0.9, 0, 0, WeightInitScheme.XAVIER, 42);
    MultiLayerConfiguration conf = NetworkSpec.parse(network).toDl4j(INPUT, OutputHead.classification(CLASSES), sgd);
    conf.setDataType(DataType.DOUBLE);
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    Nd4j.getRandom().setSeed(7);
    int rows = 4;
    INDArray input = Nd4j.rand(DataType.DOUBLE, rows, INPUT[0] * INPUT[1]).subi(0.5);
    INDArray labels = Nd4j.zeros(DataType.DOUBLE, rows, CLASSES);
    for (int i = 0; i < rows; i++) {
      labels.putScalar(i, i % CLASSES, 1.0);
    }
    boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(input)
        .labels(labels).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
    assertTrue(passed, network + ": analytic and numerical gradients differ (see the log)");
  }
}
