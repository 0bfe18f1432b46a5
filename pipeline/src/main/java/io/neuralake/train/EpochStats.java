package io.neuralake.train;

import java.io.Serializable;

/**
 * One epoch of training. Values that were not measured (no validation data) are NaN.
 *
 * @param epoch the epoch number, from 1
 * @param trainLoss mean training loss over the epoch's mini-batches, weighted by examples
 * @param validationLoss mean loss on the validation data after the epoch
 * @param validationMetric accuracy (classifiers) or RMSE (regressors) on the validation data
 * @param seconds wall time of the epoch, validation included
 * @param samplesPerSecond training examples processed per second of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double validationMetric,
                         double seconds, double samplesPerSecond) implements Serializable {}
