package io.neuralake.jobs;

import java.io.IOException;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * This machine's single-precision matrix-multiply peak through ND4J, the yardstick for achieved FLOP
 * rates, measured in a fresh JVM: at the end of a bench, in the bench's own JVM, the product on two
 * threads sometimes ran no faster than on one (OpenMP's state, it seems, as for plain DL4J).
 */
final class GemmPeak {

  private static final int SIZE = 1024;
  /** How long products are timed, at least, so that a passing burst of other work (the JIT, an exiting JVM) misses some. */
  private static final long MEASURE_NANOS = 2_000_000_000L;

  private GemmPeak() {}

  /** Prints the peak GFLOP/s over 1 and 2 threads as one JSON line. */
  public static void main(String[] args) {
    System.out.println("{\"gigaflops\": " + Math.max(gigaflops(1), gigaflops(2)) + "}");
  }

  /** The peak GFLOP/s over 1 and 2 threads in a fresh JVM; NaN, with the reason printed, where that JVM gives none. */
  static double inFreshJvm() throws InterruptedException {
    try {
      Map<String, Object> figures =
          BaselineProcess.figures(BaselineProcess.freshJvm(GemmPeak.class), Map.of(), "GEMM peak");
      if (figures.get("gigaflops") instanceof Number gigaflops) {
        return gigaflops.doubleValue();
      }
      System.out.println("GEMM peak skipped: " + figures.get("skipped"));
    } catch (IOException e) {
      System.out.println("GEMM peak skipped: cannot start a JVM: " + e.getMessage());
    }
    return Double.NaN;
  }

  /** The best GFLOP/s of {@value #SIZE}² products over two seconds, after a warm-up, at {@code threads} threads. */
  private static double gigaflops(int threads) {
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
