package io.neuralake.spec;

import java.util.Arrays;
import java.util.Locale;

import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/** Training losses, by the names used in params and configs. */
public enum Loss {
  /** Categorical cross-entropy over a softmax; labels are class indices, one-hot encoded. */
  CROSSENTROPY,
  /** The same loss fed with the class index itself (no one-hot targets): cheaper for many classes. */
  SPARSE_CROSSENTROPY,
  /** Binary cross-entropy over one sigmoid output; two classes only. */
  BINARY_CROSSENTROPY,
  /** Kullback-Leibler divergence between the one-hot label and the softmax. */
  KL_DIVERGENCE,
  /** Mean squared error. */
  MSE,
  /** Mean absolute error. */
  MAE;

  /** Lower-case names, as accepted by {@link #parse}. */
  public static final String[] NAMES = Arrays.stream(values()).map(Loss::textName).toArray(String[]::new);

  /** The lower-case name. */
  public String textName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The DL4J loss function. */
  public ILossFunction toDl4j() {
    return switch (this) {
      case CROSSENTROPY -> LossFunction.MCXENT.getILossFunction();
      case SPARSE_CROSSENTROPY -> new LossSparseMCXENT();
      case BINARY_CROSSENTROPY -> LossFunction.XENT.getILossFunction();
      case KL_DIVERGENCE -> LossFunction.KL_DIVERGENCE.getILossFunction();
      case MSE -> LossFunction.MSE.getILossFunction();
      case MAE -> LossFunction.MEAN_ABSOLUTE_ERROR.getILossFunction();
    };
  }

  /** Parses a name case-insensitively. */
  public static Loss parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss '" + name + "'; use one of " + String.join(", ", NAMES), e);
    }
  }
}
