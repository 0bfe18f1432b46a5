package io.neuralake.estimators;

import io.neuralake.train.NetworkState;
import io.neuralake.train.TrainingHistory;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;

/** What every fitted neural-net model offers besides Spark's model API. */
public interface NeuralNetModel extends NeuralNetParams, MLWritable {

  /** The trained network this model scores with. */
  FittedNetwork fittedNetwork();

  /** The per-epoch training history: print it, or turn it into a DataFrame. */
  default TrainingHistory summary() {
    return fittedNetwork().history();
  }

  /** The trained network's configuration, parameters and updater state, e.g. to start a new fit from. */
  default NetworkState networkState() {
    return fittedNetwork().state();
  }

  @Override
  default MLWriter write() {
    return new NeuralNetModelWriter(this, fittedNetwork());
  }
}
