package io.neuralake.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Turns flat rows of {@code timesteps × features} values, step by step, into DL4J's recurrent
 * layout {@code [batch, features, timesteps]}, and gradients back.
 */
public final class FlatToSequence implements InputPreProcessor {

  private static final long serialVersionUID = 1L;

  private final long timesteps;
  private final long features;

  /** A preprocessor for sequences of {@code timesteps} steps of {@code features} values. */
  @JsonCreator
  public FlatToSequence(@JsonProperty("timesteps") long timesteps, @JsonProperty("features") long features) {
    this.timesteps = timesteps;
    this.features = features;
  }

  public long getTimesteps() {
    return timesteps;
  }

  public long getFeatures() {
    return features;
  }

  @Override
  public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    INDArray rows = input.ordering() == 'c' && input.elementWiseStride() == 1 ? input
        : workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
    INDArray sequences = rows.reshape('c', rows.size(0), timesteps, features).permute(0, 2, 1);
    return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, sequences);
  }

  @Override
  public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
    INDArray stepMajor = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, output.permute(0, 2, 1), 'c');
    return stepMajor.reshape('c', output.size(0), timesteps * features);
  }

  @Override
  public InputPreProcessor clone() {
    return new FlatToSequence(timesteps, features);
  }

  @Override
  public InputType getOutputType(InputType inputType) {
    if (inputType.arrayElementsPerExample() != timesteps * features) {
      throw new IllegalStateException("expected flat inputs of " + timesteps * features + " values, got " + inputType);
    }
    return InputType.recurrent(features, timesteps);
  }

  @Override
  public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
                                                        int minibatchSize) {
    return new Pair<>(maskArray, currentMaskState);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FlatToSequence that && timesteps == that.timesteps && features == that.features;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(timesteps * 31 + features);
  }
}
