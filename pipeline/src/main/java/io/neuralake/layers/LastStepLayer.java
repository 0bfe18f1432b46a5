package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Keeps only the last step of a sequence: {@code [batch, size, timesteps]} to {@code [batch, size]}. */
public final class LastStepLayer extends SequenceLayer {

  private static final long serialVersionUID = 1L;

  /** A last-step layer; the number of steps comes from the input type. */
  public LastStepLayer() {
    // also for JSON
  }

  @Override
  String kind() {
    return "laststep";
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    return InputType.feedForward(sequence(inputType).getSize());
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    // no parameters
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    return input.get(SDIndex.all(), SDIndex.all(), SDIndex.point(timesteps() - 1));
  }
}
