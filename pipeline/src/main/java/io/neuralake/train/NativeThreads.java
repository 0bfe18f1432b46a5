package io.neuralake.train;

import org.apache.spark.TaskContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sizes ND4J's native thread pools (OpenMP and BLAS) to the cores a Spark task owns
 * ({@code TaskContext.cpus()}: {@code spark.task.cpus}, or the task's resource profile). ND4J's
 * default uses every core in each task, so concurrent tasks oversubscribe the executor: on a
 * 784-256-128-10 MLP one thread per task is about 3× faster than the default on two cores.
 */
public final class NativeThreads {

  private NativeThreads() {}

  /** Limits this JVM's ND4J native threads to the cores that the running Spark task owns. */
  public static void limitToTask() {
    limit(TaskContext.get().cpus());
  }

  /** Limits this JVM's ND4J native threads to {@code threads}. */
  public static void limit(int threads) {
    // Compared on the two settings that take effect: libnd4j's CPU backend keeps maxThreads() at the core
    // count whatever setMaxThreads asks, so a guard on it never let a task skip these calls.
    if (Nd4j.getEnvironment().maxMasterThreads() != threads || Nd4j.factory().blas().getMaxThreads() != threads) {
      Nd4j.getEnvironment().setMaxThreads(threads);
      Nd4j.getEnvironment().setMaxMasterThreads(threads);
      Nd4j.factory().blas().setMaxThreads(threads);
    }
  }
}
