package io.neuralake.spec;

import java.util.Arrays;
import java.util.Locale;

import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.OrthogonalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;

/** How a network's weights start, by the names used in params and configs. Biases start at 0. */
public enum WeightInitScheme {
  /** All weights 0. */
  ZERO,
  /** Uniform in [-0.05, 0.05]. */
  UNIFORM,
  /** Normal with mean 0 and standard deviation 0.05. */
  NORMAL,
  /** Xavier/Glorot: variance 2 / (fanIn + fanOut). */
  XAVIER,
  /** He: variance 2 / fanIn, suited to ReLU. */
  HE,
  /** A random orthogonal matrix (gain 1). */
  ORTHOGONAL;

  /** Lower-case names, as accepted by {@link #parse}. */
  public static final String[] NAMES =
      Arrays.stream(values()).map(WeightInitScheme::textName).toArray(String[]::new);

  /** The lower-case name. */
  public String textName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The DL4J weight initializer. */
  public IWeightInit toDl4j() {
    return switch (this) {
      case ZERO -> WeightInit.ZERO.getWeightInitFunction();
      case UNIFORM -> new WeightInitDistribution(new UniformDistribution(-0.05, 0.05));
      case NORMAL -> new WeightInitDistribution(new NormalDistribution(0, 0.05));
      case XAVIER -> WeightInit.XAVIER.getWeightInitFunction();
      case HE -> WeightInit.RELU.getWeightInitFunction();
      case ORTHOGONAL -> new WeightInitDistribution(new OrthogonalDistribution(1.0));
    };
  }

  /** Parses a name case-insensitively. */
  public static WeightInitScheme parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown weight init '" + name + "'; use one of "
          + String.join(", ", NAMES), e);
    }
  }
}
