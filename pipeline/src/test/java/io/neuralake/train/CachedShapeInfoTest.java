package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.OutputHead;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class CachedShapeInfoTest {

  private static final long[][][] SHAPES_AND_STRIDES = {
      {{64, 784}, {784, 1}}, {{784, 64}, {1, 784}}, {{3, 4, 5}, {20, 5, 1}}, {{2, 3}, {1, 2}}, {{7}, {1}},
      {{0}, {1}}, {{}, {}}};

  @Test
  void describesEveryArrayAsNd4jDoes() {
    DirectShapeInfoProvider nd4j = new DirectShapeInfoProvider();
    CachedShapeInfo cached = new CachedShapeInfo(new DirectShapeInfoProvider());
    for (long[][] shapeAndStride : SHAPES_AND_STRIDES) {
      for (char order : new char[] {'c', 'f'}) {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE, DataType.INT64, DataType.BOOL}) {
          for (boolean empty : new boolean[] {false, true}) {
            for (long elementWiseStride : new long[] {-1, 0, 1, 3}) {
              assertArrayEquals(
                  nd4j.createShapeInformation(shapeAndStride[0], shapeAndStride[1], elementWiseStride, order, type,
                      empty).getSecond(),
                  cached.createShapeInformation(shapeAndStride[0], shapeAndStride[1], elementWiseStride, order, type,
                      empty).getSecond());
            }
          }
          assertArrayEquals(nd4j.createShapeInformation(shapeAndStride[0], order, type).getSecond(),
              cached.createShapeInformation(shapeAndStride[0], order, type).getSecond());
        }
      }
    }
  }

  @Test
  void sharesOneNativeBufferPerShape() {
    CachedShapeInfo cached = new CachedShapeInfo(new DirectShapeInfoProvider());
    long[] shape = {64, 784};
    long[] stride = {784, 1};
    assertSame(cached.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false).getFirst(),
        cached.createShapeInformation(shape.clone(), stride.clone(), 1, 'c', DataType.FLOAT, false).getFirst());
    assertNotSame(cached.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false).getFirst(),
        cached.createShapeInformation(shape, stride, 1, 'c', DataType.DOUBLE, false).getFirst());
    assertSame(cached.createShapeInformation(shape, 'c', DataType.FLOAT).getFirst(),
        cached.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false).getFirst());
  }

  @Test
  void networksTrainBitForBitWithTheCache() throws ReflectiveOperationException {
    ShapeInfoProvider installed = Nd4j.getShapeInfoProvider();
    try {
      CachedShapeInfo.use(new DirectShapeInfoProvider());
      INDArray withoutCache = trained();
      CachedShapeInfo.use(new CachedShapeInfo(new DirectShapeInfoProvider()));
      INDArray withCache = trained();
      assertEquals(withoutCache, withCache);
    } finally {
      CachedShapeInfo.use(installed);
    }
  }

  @Test
  void buildingANetworkInstallsIt() throws ReflectiveOperationException {
    ShapeInfoProvider installed = Nd4j.getShapeInfoProvider();
    try {
      CachedShapeInfo.use(new DirectShapeInfoProvider());
      NetworkState.of(network()).toTrainable();
      assertInstanceOf(CachedShapeInfo.class, Nd4j.getShapeInfoProvider());
    } finally {
      CachedShapeInfo.use(installed);
    }
  }

  private static MultiLayerNetwork network() {
    MultiLayerNetwork network = new MultiLayerNetwork(NetworkSpec.parse("dense(16, relu) -> dense(8, tanh)")
        .toDl4j(new long[] {12}, OutputHead.classification(3), Hyperparameters.defaults(7)));
    network.init();
    return network;
  }

  /** The parameters of a seeded network after a few Adam steps on seeded batches. */
  private static INDArray trained() {
    Nd4j.getRandom().setSeed(7);
    MultiLayerNetwork network = network();
    for (int step = 0; step < 5; step++) {
      INDArray labels = Nd4j.zeros(DataType.FLOAT, 10, 3);
      for (int row = 0; row < 10; row++) {
        labels.putScalar(row, (row + step) % 3, 1);
      }
      network.fit(new DataSet(Nd4j.randn(DataType.FLOAT, 10, 12), labels));
    }
    return network.params().dup();
  }
}
