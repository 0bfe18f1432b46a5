package io.neuralake.spec;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Cosine decay by iteration: {@code initial · ½(1 + cos(π · min(i, n) / n))}, from the initial
 * value down to 0 at iteration {@code n}. DL4J has no cosine schedule; this one is stored in DL4J's
 * configuration JSON like its own schedules.
 */
public final class CosineSchedule implements ISchedule {

  private final double initialValue;
  private final int iterations;

  /** Decays {@code initialValue} to 0 over {@code iterations} iterations. */
  public CosineSchedule(@JsonProperty("initialValue") double initialValue, @JsonProperty("iterations") int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("cosine schedule needs iterations >= 1, got " + iterations);
    }
    this.initialValue = initialValue;
    this.iterations = iterations;
  }

  @JsonProperty("initialValue")
  public double getInitialValue() {
    return initialValue;
  }

  @JsonProperty("iterations")
  public int getIterations() {
    return iterations;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    return initialValue * 0.5 * (1 + Math.cos(Math.PI * Math.min(iteration, iterations) / iterations));
  }

  @Override
  public ISchedule clone() {
    return new CosineSchedule(initialValue, iterations);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CosineSchedule that && initialValue == that.initialValue && iterations == that.iterations;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(initialValue) * 31 + iterations;
  }
}
