package io.neuralake.jobs;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** This machine's single-precision matrix-multiply peak through ND4J, the yardstick for achieved FLOP rates. */
final class GemmPeak {

  private static final int SIZE = 1024;
  private static final int REPEATS = 10;

  private GemmPeak() {}

  /** The best GFLOP/s of {@value #REPEATS} {@value #SIZE}² products, after a warm-up, at {@code threads} threads. */
  static double gigaflops(int threads) {
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
    INDArray a = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    INDArray b = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    INDArray c = Nd4j.create(DataType.FLOAT, SIZE, SIZE);
    Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    double best = 0;
    for (int i = 0; i < REPEATS; i++) {
      long start = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      best = Math.max(best, 2.0 * SIZE * SIZE * SIZE / (System.nanoTime() - start));
    }
    return best;
  }
}
