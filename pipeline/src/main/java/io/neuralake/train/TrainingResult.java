package io.neuralake.train;

/**
 * What a fit produces: the trained network and how training went.
 *
 * @param network the trained network's state (the best epoch's when early stopping kept one)
 * @param history the per-epoch record
 */
public record TrainingResult(NetworkState network, TrainingHistory history) {}
