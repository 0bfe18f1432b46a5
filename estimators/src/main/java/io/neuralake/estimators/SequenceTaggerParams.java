package io.neuralake.estimators;

import java.io.Serializable;

import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The columns of {@link NeuralNetSequenceTagger} and its model: a vector of steps in, an array
 * with one class index per step as the label, and per-step predictions and probabilities out.
 *
 * @param <S> the stage type, which the setters return
 */
public interface SequenceTaggerParams<S extends SequenceTaggerParams<S>> extends NeuralNetParams {

  /** The holder of this stage's column params. */
  Columns taggerColumns();

  /** The features column: vectors of (timesteps, features) flattened step by step. Default "features". */
  default Param<String> featuresCol() {
    return taggerColumns().featuresCol;
  }

  /** The label column: an array of class indices, one per output step. Default "label". */
  default Param<String> labelCol() {
    return taggerColumns().labelCol;
  }

  /** The output column of per-step predicted class indices, {@code array<double>}. Default "prediction". */
  default Param<String> predictionCol() {
    return taggerColumns().predictionCol;
  }

  /**
   * The output column of per-step class probabilities, {@code array<vector>}; empty for none.
   * Default "probability".
   */
  default Param<String> probabilityCol() {
    return taggerColumns().probabilityCol;
  }

  default String getFeaturesCol() {
    return $(featuresCol());
  }

  default String getLabelCol() {
    return $(labelCol());
  }

  default String getPredictionCol() {
    return $(predictionCol());
  }

  default String getProbabilityCol() {
    return $(probabilityCol());
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  default S setFeaturesCol(String value) {
    set(featuresCol(), value);
    return self();
  }

  default S setLabelCol(String value) {
    set(labelCol(), value);
    return self();
  }

  default S setPredictionCol(String value) {
    set(predictionCol(), value);
    return self();
  }

  default S setProbabilityCol(String value) {
    set(probabilityCol(), value);
    return self();
  }

  /** The column params, made once per stage with the stage as their parent. */
  final class Columns implements Serializable {

    private static final long serialVersionUID = 1L;

    final Param<String> featuresCol;
    final Param<String> labelCol;
    final Param<String> predictionCol;
    final Param<String> probabilityCol;

    /** Creates the params for {@code owner} and sets their defaults on it. */
    Columns(Params owner) {
      featuresCol = new Param<>(owner, "featuresCol", "features column: vectors of (timesteps, features) "
          + "flattened step by step");
      labelCol = new Param<>(owner, "labelCol", "label column: an array of class indices, one per output step");
      predictionCol = new Param<>(owner, "predictionCol", "output column of per-step predicted class indices");
      probabilityCol = new Param<>(owner, "probabilityCol", "output column of per-step class probabilities "
          + "(array of vectors); empty for none");
      owner.setDefault(featuresCol, "features");
      owner.setDefault(labelCol, "label");
      owner.setDefault(predictionCol, "prediction");
      owner.setDefault(probabilityCol, "probability");
    }
  }
}
