package io.neuralake.spec;

import java.util.Arrays;
import java.util.Locale;

import io.neuralake.updaters.VectorizedAdam;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/** The gradient updaters a network trains with, by the names used in params and configs. */
public enum Optimizer {
  /** Plain stochastic gradient descent. */
  SGD,
  /** SGD with classical momentum. */
  MOMENTUM,
  /** SGD with Nesterov momentum. */
  NESTEROV,
  /** Adam (beta1 0.9, beta2 0.999), as DL4J's, computed by {@link VectorizedAdam}. */
  ADAM,
  /** RMSProp (decay 0.95). */
  RMSPROP,
  /** AdaGrad. */
  ADAGRAD;

  /** Lower-case names, as accepted by {@link #parse}. */
  public static final String[] NAMES =
      Arrays.stream(values()).map(Optimizer::textName).toArray(String[]::new);

  /** The lower-case name. */
  public String textName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The DL4J updater for a learning rate, or a schedule of it when {@code schedule} is not null, and
   * a momentum (used by momentum and nesterov only).
   */
  public IUpdater toDl4j(double learningRate, ISchedule schedule, double momentum) {
    return switch (this) {
      case SGD -> schedule == null ? new Sgd(learningRate) : new Sgd(schedule);
      // DL4J's Nesterovs updater is its only momentum updater; classical momentum is its
      // special case with the look-ahead folded into the update, which DL4J does not offer apart.
      case MOMENTUM, NESTEROV -> schedule == null ? new Nesterovs(learningRate, momentum) : new Nesterovs(schedule, momentum);
      case ADAM -> schedule == null ? new VectorizedAdam(learningRate) : new VectorizedAdam(schedule);
      case RMSPROP -> schedule == null ? new RmsProp(learningRate) : new RmsProp(schedule);
      case ADAGRAD -> schedule == null ? new AdaGrad(learningRate) : new AdaGrad(schedule);
    };
  }

  /** Parses a name case-insensitively. */
  public static Optimizer parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown optimizer '" + name + "'; use one of "
          + String.join(", ", NAMES), e);
    }
  }
}
