package io.neuralake.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;

/** Reads DL4J's recurrent input type, with an error naming the layer when it is not one of fixed length. */
final class SequenceShape {

  private SequenceShape() {}

  static InputType.InputTypeRecurrent of(String layer, InputType inputType) {
    if (!(inputType instanceof InputType.InputTypeRecurrent recurrent) || recurrent.getTimeSeriesLength() <= 0) {
      throw new IllegalArgumentException(layer + " needs a sequence input with a known number of steps, got "
          + inputType);
    }
    return recurrent;
  }
}
