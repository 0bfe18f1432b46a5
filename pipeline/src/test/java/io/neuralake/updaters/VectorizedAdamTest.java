package io.neuralake.updaters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.neuralake.spec.GradientClipping;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.LearningRateSchedule;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.PlainDl4j;
import io.neuralake.spec.WeightInitScheme;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class VectorizedAdamTest {

  /** 200 inputs, 96 and 48 hidden units, 5 classes: 24,197 parameters, more than one chunk of the loop. */
  private static final NetworkSpec SPEC = NetworkSpec.parse("dense(96, relu) -> dense(48, tanh)");
  private static final int INPUTS = 200;
  private static final int CLASSES = 5;

  private static MultiLayerConfiguration configuration() {
    Hyperparameters hyper = new Hyperparameters(Optimizer.ADAM, 0.01, 0.9, 0, 0, WeightInitScheme.XAVIER, 3,
        LearningRateSchedule.parse("exponential(0.97)", 0), GradientClipping.NONE, 0);
    return SPEC.toDl4j(new long[] {INPUTS}, OutputHead.classification(CLASSES), hyper);
  }

  private static MultiLayerNetwork trained(MultiLayerConfiguration configuration, DataType type, int steps) {
    configuration.setDataType(type);
    MultiLayerNetwork network = new MultiLayerNetwork(configuration);
    network.init();
    Nd4j.getRandom().setSeed(11);
    INDArray features = Nd4j.randn(type, 64, INPUTS);
    INDArray labels = Nd4j.zeros(type, 64, CLASSES);
    for (int row = 0; row < 64; row++) {
      labels.putScalar(row, row % CLASSES, 1);
    }
    DataSet batch = new DataSet(features, labels);
    for (int step = 0; step < steps; step++) {
      network.fit(batch);
    }
    return network;
  }

  private static double maxAbsDifference(INDArray a, INDArray b) {
    return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
  }

  @Test
  void theOptimizerNamedAdamIsTheVectorizedOne() {
    BaseLayer layer = (BaseLayer) configuration().getConf(0).getLayer();
    assertInstanceOf(VectorizedAdam.class, layer.getIUpdater());
    BaseLayer plain = (BaseLayer) PlainDl4j.of(configuration()).getConf(0).getLayer();
    assertFalse(plain.getIUpdater() instanceof VectorizedAdam);
  }

  @Test
  void stepsExactlyAsDl4jsAdamInFloat() {
    MultiLayerNetwork ours = trained(configuration(), DataType.FLOAT, 30);
    MultiLayerNetwork dl4j = trained(PlainDl4j.of(configuration()), DataType.FLOAT, 30);
    INDArray state = ours.getUpdater().getStateViewArray();
    assertTrue(state.amaxNumber().doubleValue() > 0, "the moments moved");
    assertEquals(0, maxAbsDifference(dl4j.getUpdater().getStateViewArray(), state), 1e-7);
    assertEquals(0, maxAbsDifference(dl4j.params(), ours.params()), 1e-6);
    assertTrue(maxAbsDifference(trained(configuration(), DataType.FLOAT, 0).params(), ours.params()) > 1e-3,
        "the parameters moved");
  }

  @Test
  void fallsBackToDl4jsOpInDouble() {
    MultiLayerNetwork ours = trained(configuration(), DataType.DOUBLE, 10);
    MultiLayerNetwork dl4j = trained(PlainDl4j.of(configuration()), DataType.DOUBLE, 10);
    assertEquals(DataType.DOUBLE, ours.params().dataType());
    assertEquals(0, maxAbsDifference(dl4j.params(), ours.params()), 1e-12);
  }

  @Test
  void survivesTheConfigurationJsonAndClone() {
    MultiLayerConfiguration configuration = configuration();
    VectorizedAdam original = (VectorizedAdam) ((BaseLayer) configuration.getConf(1).getLayer()).getIUpdater();
    VectorizedAdam restored = (VectorizedAdam) ((BaseLayer) MultiLayerConfiguration.fromJson(configuration.toJson())
        .getConf(1).getLayer()).getIUpdater();
    assertEquals(original, restored);
    assertEquals(original.getLearningRate(100, 0), restored.getLearningRate(100, 0), 1e-15);
    assertInstanceOf(VectorizedAdam.class, original.clone());
    assertEquals(original, original.clone());
    assertFalse(original.equals(new Adam(original.getLearningRate(), original.getBeta1(), original.getBeta2(),
        original.getEpsilon())), "plain Adam is another updater");
  }
}
