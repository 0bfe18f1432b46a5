package io.neuralake.spec;

import java.util.Arrays;

import io.neuralake.data.LabelEncoding;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;

/**
 * The output layer an estimator puts on top of a {@link NetworkSpec}'s hidden layers, and how the
 * label feeds it.
 *
 * @param units number of outputs
 * @param activation the output activation
 * @param loss the training loss
 * @param labels how label values become targets; null when the targets are the features themselves
 * @param steps 0 for one output per example, else the number of steps of a per-step output
 */
public record OutputHead(int units, Activation activation, Loss loss, LabelEncoding labels, int steps) {

  /** A head with one output per example. */
  public OutputHead(int units, Activation activation, Loss loss, LabelEncoding labels) {
    this(units, activation, loss, labels, 0);
  }

  /** Softmax over {@code classes} outputs with categorical cross-entropy. */
  public static OutputHead classification(int classes) {
    return classification(classes, Loss.CROSSENTROPY);
  }

  /**
   * The head of a classifier of {@code classes} classes trained with {@code loss}: softmax for the
   * cross-entropies, KL divergence and MSE, one sigmoid unit for binary cross-entropy.
   */
  public static OutputHead classification(int classes, Loss loss) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
    return switch (loss) {
      case CROSSENTROPY, KL_DIVERGENCE -> new OutputHead(classes, Activation.SOFTMAX, loss, LabelEncoding.oneHot(classes));
      case SPARSE_CROSSENTROPY -> new OutputHead(classes, Activation.SOFTMAX, loss, LabelEncoding.index(classes));
      case BINARY_CROSSENTROPY -> {
        if (classes != 2) {
          throw new IllegalArgumentException("binary_crossentropy needs a label with 2 classes but it has " + classes
              + "; use crossentropy");
        }
        yield new OutputHead(1, Activation.SIGMOID, loss, LabelEncoding.index(2));
      }
      case MSE -> {
        if (classes == 2) {
          throw new IllegalArgumentException("softmax with mse on a binary label trains poorly; use crossentropy or "
              + "binary_crossentropy");
        }
        yield new OutputHead(classes, Activation.SOFTMAX, loss, LabelEncoding.oneHot(classes));
      }
      case MAE -> throw new IllegalArgumentException("mae is a regression loss; a classifier takes crossentropy, "
          + "sparse_crossentropy, binary_crossentropy, kl_divergence or mse");
    };
  }

  /** One linear output with mean squared error. */
  public static OutputHead regression() {
    return regression(Loss.MSE);
  }

  /** One linear output trained with {@code loss} (mse or mae). */
  public static OutputHead regression(Loss loss) {
    if (loss != Loss.MSE && loss != Loss.MAE) {
      throw new IllegalArgumentException(loss.textName() + " is a classification loss; a regressor takes mse or mae");
    }
    return new OutputHead(1, Activation.IDENTITY, loss, LabelEncoding.numeric());
  }

  /**
   * The head of an encoder–decoder that reconstructs its input of {@code size} values: no weights
   * of its own, the last hidden layer's outputs (of the input's shape) against the features by
   * mean squared error.
   */
  public static OutputHead reconstruction(int size) {
    return new OutputHead(size, Activation.IDENTITY, Loss.MSE, null);
  }

  /**
   * Softmax over {@code classes} at each of {@code steps} steps, with categorical cross-entropy
   * per step: sequence tagging, or the decoder of an encoder–decoder. The hidden layers must end
   * with a sequence of {@code steps} steps; targets are one-hot per step.
   */
  public static OutputHead perStep(int classes, int steps) {
    if (classes < 2 || steps < 1) {
      throw new IllegalArgumentException("a per-step head needs at least 2 classes and 1 step, got " + classes
          + " classes and " + steps + " steps");
    }
    return new OutputHead(classes, Activation.SOFTMAX, Loss.CROSSENTROPY, LabelEncoding.oneHot(classes), steps);
  }

  /** Whether the targets are the features themselves. */
  public boolean reconstructs() {
    return labels == null;
  }

  Layer toDl4j() {
    if (reconstructs()) {
      return new LossLayer.Builder(loss.toDl4j()).activation(activation.dl4j()).build();
    }
    if (steps > 0) {
      return new RnnOutputLayer.Builder(loss.toDl4j()).nOut(units).activation(activation.dl4j())
          .dataFormat(RNNFormat.NCW).build();
    }
    return new OutputLayer.Builder().lossFunction(loss.toDl4j()).nOut(units).activation(activation.dl4j()).build();
  }

  /** Checks that hidden outputs of shape {@code last}, for inputs of {@code inputShape}, suit this head. */
  void requireFits(long[] last, long[] inputShape) {
    if (steps > 0) {
      if (last.length != 2 || last[0] != steps) {
        throw new IllegalArgumentException("the network ends with shape " + Arrays.toString(last)
            + " but the per-step output needs a sequence of " + steps + " steps; end with a recurrent layer with "
            + "sequences=true, or repeat(" + steps + ") and a decoder");
      }
      return;
    }
    if (last.length == 2) {
      throw new IllegalArgumentException("the network ends with a sequence of shape " + Arrays.toString(last)
          + " but the output layer needs one vector per example; end the sequence layers with laststep(), "
          + "globalpool(avg|max) or a recurrent layer without sequences=true");
    }
    if (reconstructs() && Arrays.stream(last).reduce(1, Math::multiplyExact) != units) {
      throw new IllegalArgumentException("the network ends with shape " + Arrays.toString(last)
          + " but reconstructing the input needs " + units + " values, the input's shape "
          + Arrays.toString(inputShape) + "; end the decoder with the input's shape");
    }
  }

  /** Weights and biases on top of hidden outputs of {@code inputShape}. */
  long parameterCount(long[] inputShape) {
    return reconstructs() ? 0 : new DenseSpec(units, activation).parameterCount(inputShape);
  }

  /** The output shape on top of hidden outputs of {@code inputShape}. */
  long[] outputShape(long[] inputShape) {
    if (reconstructs()) {
      return inputShape;
    }
    return steps > 0 ? new long[] {steps, units} : new long[] {units};
  }

  String describe() {
    return (reconstructs() ? "reconstruction(" : (steps > 0 ? "per-step output(" : "output(") + units + ", "
        + activation.textName() + ", ") + loss.textName() + ")";
  }
}
