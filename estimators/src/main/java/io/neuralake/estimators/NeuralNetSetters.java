package io.neuralake.estimators;

import io.neuralake.spec.NetworkSpec;

/**
 * Setters of {@link NeuralNetParams} for estimators, each returning the estimator itself.
 *
 * @param <S> the estimator type
 */
public interface NeuralNetSetters<S extends NeuralNetSetters<S>> extends NeuralNetParams {

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  default S setNetwork(NetworkSpec value) {
    set(network(), value);
    return self();
  }

  /** Sets the network from its compact or JSON text form. */
  default S setNetwork(String text) {
    return setNetwork(NetworkSpec.parse(text));
  }

  /** Sets the shape of one example, e.g. {@code setInputShape(1, 28, 28)} for grey 28×28 images. */
  default S setInputShape(int... shape) {
    set(inputShape(), shape);
    return self();
  }

  default S setLoss(String value) {
    set(loss(), value.toLowerCase());
    return self();
  }

  /** Sets the schedule, e.g. {@code "step(0.5, 1000)"} or {@code "cosine(5000)"}. */
  default S setLearningRateSchedule(String value) {
    set(learningRateSchedule(), value);
    return self();
  }

  default S setWarmupIterations(int value) {
    set(warmupIterations(), value);
    return self();
  }

  /** Sets clipping, e.g. {@code "norm(1.0)"} or {@code "value(0.5)"}. */
  default S setGradientClipping(String value) {
    set(gradientClipping(), value);
    return self();
  }

  default S setMaxNorm(double value) {
    set(maxNorm(), value);
    return self();
  }

  /** Starts the fit from the weights of the model saved at {@code path} (transfer learning, warm starts). */
  default S setInitialModelPath(String path) {
    set(initialModelPath(), path);
    return self();
  }

  default S setEpochs(int value) {
    set(epochs(), value);
    return self();
  }

  default S setBatchSize(int value) {
    set(batchSize(), value);
    return self();
  }

  default S setNumWorkers(int value) {
    set(numWorkers(), value);
    return self();
  }

  default S setAveragingFrequency(int value) {
    set(averagingFrequency(), value);
    return self();
  }

  default S setUpdater(String value) {
    set(updater(), value.toLowerCase());
    return self();
  }

  default S setLearningRate(double value) {
    set(learningRate(), value);
    return self();
  }

  default S setMomentum(double value) {
    set(momentum(), value);
    return self();
  }

  default S setSeed(long value) {
    set(seed(), value);
    return self();
  }

  default S setL1(double value) {
    set(l1(), value);
    return self();
  }

  default S setL2(double value) {
    set(l2(), value);
    return self();
  }

  default S setWeightInit(String value) {
    set(weightInit(), value.toLowerCase());
    return self();
  }

  default S setValidationFraction(double value) {
    set(validationFraction(), value);
    return self();
  }

  default S setValidationIndicatorCol(String value) {
    set(validationIndicatorCol(), value);
    return self();
  }

  default S setEarlyStoppingPatience(int value) {
    set(earlyStoppingPatience(), value);
    return self();
  }
}
