package io.neuralake.jobs;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** This machine's single-precision matrix-multiply peak through ND4J, the yardstick for achieved FLOP rates. */
final class GemmPeak {

  private static final int SIZE = 1024;
  /** How long products are timed, at least, so that a passing burst of other work (the JIT, an exiting JVM) misses some. */
  private static final long MEASURE_NANOS = 2_000_000_000L;

  private GemmPeak() {}

  /** The best GFLOP/s of {@value #SIZE}² products over two seconds, after a warm-up, at {@code threads} threads. */
  static double gigaflops(int threads) {
    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    Nd4j.factory().blas().setMaxThreads(threads);
    INDArray a = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    INDArray b = Nd4j.rand(DataType.FLOAT, SIZE, SIZE);
    INDArray c = Nd4j.create(DataType.FLOAT, SIZE, SIZE);
    Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    double best = 0;
    for (long end = System.nanoTime() + MEASURE_NANOS; System.nanoTime() < end; ) {
      long start = System.nanoTime();
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
      best = Math.max(best, 2.0 * SIZE * SIZE * SIZE / (System.nanoTime() - start));
    }
    return best;
  }
}
