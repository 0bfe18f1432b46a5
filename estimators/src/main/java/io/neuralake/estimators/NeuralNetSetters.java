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
