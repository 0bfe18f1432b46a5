package io.neuralake.spec;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear warm-up in front of another schedule: {@code base(i) · (i + 1) / n} for the first
 * {@code n} iterations, then {@code base(i)}. It replaces DL4J's RampSchedule, which its own JSON
 * reader cannot read back (it has no creator), so a network using it cannot reach Spark workers.
 */
public final class WarmupSchedule implements ISchedule {

  private final ISchedule base;
  private final int iterations;

  /** Warms {@code base} up over {@code iterations} iterations. */
  public WarmupSchedule(@JsonProperty("base") ISchedule base, @JsonProperty("iterations") int iterations) {
    if (iterations < 1) {
      throw new IllegalArgumentException("warm-up needs iterations >= 1, got " + iterations);
    }
    this.base = base;
    this.iterations = iterations;
  }

  @JsonProperty("base")
  public ISchedule getBase() {
    return base;
  }

  @JsonProperty("iterations")
  public int getIterations() {
    return iterations;
  }

  @Override
  public double valueAt(int iteration, int epoch) {
    double value = base.valueAt(iteration, epoch);
    return iteration >= iterations ? value : value * (iteration + 1) / iterations;
  }

  @Override
  public ISchedule clone() {
    return new WarmupSchedule(base.clone(), iterations);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WarmupSchedule that && base.equals(that.base) && iterations == that.iterations;
  }

  @Override
  public int hashCode() {
    return base.hashCode() * 31 + iterations;
  }
}
