package io.neuralake.estimators;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;

/** Saves a neural-net model: Spark's param metadata plus the network in Neuralake's format. */
final class NeuralNetModelWriter extends MLWriter {

  private final Params model;
  private final FittedNetwork network;

  NeuralNetModelWriter(Params model, FittedNetwork network) {
    this.model = model;
    this.network = network;
  }

  @Override
  public void saveImpl(String path) {
    try {
      network.save(model, path, sc());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + model.uid() + " to " + path, e);
    }
  }
}
