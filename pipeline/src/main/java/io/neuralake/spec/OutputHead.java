package io.neuralake.spec;

import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The output layer an estimator puts on top of a {@link NetworkSpec}'s hidden layers.
 *
 * @param units number of outputs: classes for a classifier, 1 for a regressor
 * @param activation the output activation
 * @param loss the training loss
 */
public record OutputHead(int units, Activation activation, LossFunction loss) {

  /** Softmax over {@code classes} outputs with categorical cross-entropy. */
  public static OutputHead classification(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
    return new OutputHead(classes, Activation.SOFTMAX, LossFunction.MCXENT);
  }

  /** One linear output with mean squared error. */
  public static OutputHead regression() {
    return new OutputHead(1, Activation.IDENTITY, LossFunction.MSE);
  }

  OutputLayer toDl4j() {
    return new OutputLayer.Builder(loss).nOut(units).activation(activation.dl4j()).build();
  }

  String describe() {
    return "output(" + units + ", " + activation.textName() + ", " + loss.name().toLowerCase() + ")";
  }
}
