package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.neuralake.spec.GradientClipping;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.LearningRateSchedule;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class OwnGradientUpdaterTest {

  private static final int INPUTS = 30;
  private static final int CLASSES = 4;

  /** Adam with L1, L2, gradient clipping and a schedule: every step of DL4J's updater that reads the views. */
  private static MultiLayerConfiguration configuration(Optimizer optimizer) {
    Hyperparameters hyper = new Hyperparameters(optimizer, 0.01, 0.9, 1e-4, 1e-3, WeightInitScheme.XAVIER, 3,
        LearningRateSchedule.parse("exponential(0.97)", 0), GradientClipping.parse("norm(1.0)"), 0);
    return NetworkSpec.parse("dense(24, relu) -> dense(12, tanh)")
        .toDl4j(new long[] {INPUTS}, OutputHead.classification(CLASSES), hyper);
  }

  private static DataSet batch(int seed) {
    Nd4j.getRandom().setSeed(seed);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, CLASSES);
    for (int row = 0; row < 16; row++) {
      labels.putScalar(row, (row + seed) % CLASSES, 1);
    }
    return new DataSet(Nd4j.randn(DataType.FLOAT, 16, INPUTS), labels);
  }

  private static double maxDifference(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  private static MultiLayerNetwork network(Optimizer optimizer) {
    MultiLayerNetwork network = new MultiLayerNetwork(configuration(optimizer));
    network.init();
    return network;
  }

  @Test
  void trainsBitForBitAsDl4jsOwnUpdater() {
    for (Optimizer optimizer : new Optimizer[] {Optimizer.ADAM, Optimizer.NESTEROV, Optimizer.SGD}) {
      MultiLayerNetwork dl4j = network(optimizer);
      MultiLayerNetwork ours = network(optimizer);
      ours.setParams(dl4j.params().dup());
      OwnGradientUpdater.install(ours);
      DataSet[] batches = {batch(1), batch(2), batch(3)};
      for (int step = 0; step < 40; step++) {
        dl4j.fit(batches[step % batches.length]);
        ours.fit(batches[step % batches.length]);
      }
      assertInstanceOf(OwnGradientUpdater.class, ours.getUpdater());
      assertNotEquals(network(optimizer).params(), ours.params(), optimizer + ": the parameters moved");
      assertEquals(0, maxDifference(dl4j.params(), ours.params()), optimizer + ": parameters");
      if (dl4j.getUpdater().getStateViewArray() != null) {
        assertEquals(0, maxDifference(dl4j.getUpdater().getStateViewArray(), ours.getUpdater().getStateViewArray()),
            optimizer + ": updater state");
      }
    }
  }

  @Test
  void keepsTheStateOfTheUpdaterItReplaces() {
    MultiLayerNetwork network = network(Optimizer.ADAM);
    for (int step = 0; step < 5; step++) {
      network.fit(batch(step));
    }
    INDArray moments = network.getUpdater().getStateViewArray().dup();
    OwnGradientUpdater.install(network);
    assertEquals(0, maxDifference(moments, network.getUpdater().getStateViewArray()));
  }

  @Test
  void workersTrainWithIt() {
    String json = configuration(Optimizer.ADAM).toJson();
    try {
      assertInstanceOf(OwnGradientUpdater.class,
          ((TrainableNetwork.Layers) WorkerNetworks.get("own-gradient-test", 0, WorkerNetworks.NO_GPU, json))
              .network().getUpdater());
    } finally {
      WorkerNetworks.forget("own-gradient-test");
    }
  }
}
