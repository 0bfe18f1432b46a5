package io.neuralake.spec;

/**
 * The training settings baked into a DL4J network configuration.
 *
 * @param optimizer the gradient updater
 * @param learningRate the updater's learning rate, &gt; 0
 * @param momentum momentum for {@code momentum}/{@code nesterov}, in [0, 1)
 * @param l1 L1 penalty on weights, &ge; 0
 * @param l2 L2 penalty on weights, &ge; 0
 * @param weightInit how weights start
 * @param seed the random seed for initialization and dropout
 * @param schedule how the learning rate changes with the iteration
 * @param clipping gradient clipping before each update
 * @param maxNorm the largest L2 norm of each unit's (or convolution filter's) incoming weights, 0 for no
 *     constraint
 */
public record Hyperparameters(Optimizer optimizer, double learningRate, double momentum, double l1,
                              double l2, WeightInitScheme weightInit, long seed, LearningRateSchedule schedule,
                              GradientClipping clipping, double maxNorm) {

  public Hyperparameters {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(l1 >= 0) || !(l2 >= 0)) {
      throw new IllegalArgumentException("l1 and l2 must be >= 0, got " + l1 + " and " + l2);
    }
    if (!(maxNorm >= 0)) {
      throw new IllegalArgumentException("maxNorm must be >= 0 (0 for none), got " + maxNorm);
    }
  }

  /** Hyperparameters with a constant learning rate, no clipping and no max-norm. */
  public Hyperparameters(Optimizer optimizer, double learningRate, double momentum, double l1, double l2,
                         WeightInitScheme weightInit, long seed) {
    this(optimizer, learningRate, momentum, l1, l2, weightInit, seed, LearningRateSchedule.CONSTANT,
        GradientClipping.NONE, 0);
  }

  /** Adam at 1e-3 with Xavier init and no regularization. */
  public static Hyperparameters defaults(long seed) {
    return new Hyperparameters(Optimizer.ADAM, 1e-3, 0.9, 0, 0, WeightInitScheme.XAVIER, seed);
  }
}
