package io.neuralake.jobs;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import org.bytedeco.javacpp.Pointer;

/**
 * The wall time and peak memory of a run inside this JVM: Java heap in use plus the off-heap memory
 * JavaCPP holds for ND4J, sampled every few milliseconds while the run lasts. (The process's resident
 * size only grows over a bench's runs, so it cannot tell them apart.) A full garbage collection
 * before the run, which the time leaves out, makes the heap start from what is live: with the bench's
 * cached rows on the heap it took 0.2-0.4 s.
 */
final class PeakMemory {

  private static final long SAMPLE_MILLIS = 5;

  private PeakMemory() {}

  /** What {@code run} returns, its peak memory in MB and its wall time in seconds. */
  record Measured<T>(T result, double peakMb, double seconds) {}

  static <T> Measured<T> of(Callable<T> run) throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peak = new AtomicLong();
    Runnable sample = () -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed() + Pointer.totalBytes(),
        Math::max);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        sample.run();
        try {
          Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "neuralake-bench-memory");
    sampler.setDaemon(true);
    System.gc();
    sampler.start();
    try {
      long start = System.nanoTime();
      T result = run.call();
      double seconds = (System.nanoTime() - start) / 1e9;
      sample.run();
      return new Measured<>(result, peak.get() / 1048576.0, seconds);
    } finally {
      sampler.interrupt();
      sampler.join();
    }
  }
}
