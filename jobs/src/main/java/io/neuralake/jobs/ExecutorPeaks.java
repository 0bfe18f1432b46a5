package io.neuralake.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import scala.collection.JavaConverters;

/**
 * Peak memory of the executors of a local cluster: the largest JVM heap in use that any executor
 * reported in its heartbeats, and the largest peak resident size (Linux {@code VmHWM}, which
 * includes ND4J's off-heap memory) of the executor processes this JVM started.
 */
final class ExecutorPeaks extends SparkListener {

  private final AtomicLong heap = new AtomicLong();

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    if (update.execId().equals("driver")) {
      return;
    }
    for (ExecutorMetrics metrics : JavaConverters.asJavaCollection(update.executorUpdates().values())) {
      heap.accumulateAndGet(metrics.getMetricValue("JVMHeapMemory"), Math::max);
    }
  }

  /** The largest executor heap in use, in MB. */
  double heapMb() {
    return heap.get() / 1048576.0;
  }

  /** The largest peak resident size of the executor processes running under this JVM, in MB; 0 without procfs. */
  static double residentMb() {
    return ProcessHandle.current().descendants()
        .filter(process -> proc(process, "cmdline").contains("CoarseGrainedExecutorBackend"))
        .mapToLong(process -> proc(process, "status").lines().filter(line -> line.startsWith("VmHWM:"))
            .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(0))
        .max().orElse(0) / 1024.0;
  }

  /** The text of {@code /proc/PID/name}, empty where it cannot be read. */
  private static String proc(ProcessHandle process, String name) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), name)),
          java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
