package io.neuralake.layers;

import java.util.Map;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A recurrent layer of {@link RecurrentCell}s over DL4J's recurrent layout
 * {@code [batch, size, timesteps]}, unrolled over the fixed number of steps and starting from a
 * zero state. A bidirectional layer also reads the steps backwards with its own weights and
 * concatenates both directions. With {@code lastStepOnly} it outputs each direction's final state
 * (the forward one after the last step, the backward one after the first), as Keras does;
 * otherwise every step's states. DL4J has no GRU, and its {@code LastTimeStep} of a
 * {@code Bidirectional} layer would give the backward direction's state after a single step, so all
 * three cells are built here, as one SameDiff layer.
 *
 * <p>With a truncation length k, backpropagation through time is truncated: the state still flows
 * forward over the whole sequence, but no gradient flows back through it across the boundaries
 * between segments of k steps (counted in each direction's reading order). That is DL4J's truncated
 * BPTT with the segments' gradients summed into one update per batch.
 */
public final class RecurrentLayer extends SequenceLayer {

  private static final long serialVersionUID = 1L;
  private static final String INPUT_WEIGHTS = "W";
  private static final String RECURRENT_WEIGHTS = "U";
  private static final String BIAS = "b";

  @JsonProperty
  private RecurrentCell cell;
  @JsonProperty
  private int units;
  @JsonProperty
  private boolean bidirectional;
  @JsonProperty
  private boolean lastStepOnly;
  @JsonProperty
  private int truncation;

  private RecurrentLayer() {
    // for JSON
  }

  /**
   * A layer of {@code units} cells per direction; its input size and steps come from the input type.
   *
   * @param bidirectional also read the steps backwards and concatenate both directions
   * @param lastStepOnly output only the final states, {@code [batch, width]}, not {@code [batch, width, timesteps]}
   * @param truncation steps per segment of truncated backpropagation through time, 0 for none
   */
  public RecurrentLayer(RecurrentCell cell, int units, boolean bidirectional, boolean lastStepOnly, int truncation) {
    this.cell = cell;
    this.units = units;
    this.bidirectional = bidirectional;
    this.lastStepOnly = lastStepOnly;
    this.truncation = truncation;
  }

  private int directions() {
    return bidirectional ? 2 : 1;
  }

  @Override
  String kind() {
    return cell.textName();
  }

  @Override
  public InputType getOutputType(int layerIndex, InputType inputType) {
    int width = directions() * units;
    return lastStepOnly ? InputType.feedForward(width)
        : InputType.recurrent(width, sequence(inputType).getTimeSeriesLength());
  }

  @Override
  public void defineParameters(SDLayerParams params) {
    params.clear();
    for (int direction = 0; direction < directions(); direction++) {
      params.addWeightParam(INPUT_WEIGHTS + direction, inputSize(), (long) cell.gates() * units);
      params.addWeightParam(RECURRENT_WEIGHTS + direction, units, (long) cell.gates() * units);
      params.addBiasParam(BIAS + direction, 1, (long) cell.gates() * units);
    }
  }

  @Override
  public void initializeParameters(Map<String, INDArray> params) {
    IWeightInit weights = weightInit();
    for (int direction = 0; direction < directions(); direction++) {
      INDArray w = params.get(INPUT_WEIGHTS + direction);
      weights.init(inputSize(), units, w.shape(), 'c', w);
      INDArray u = params.get(RECURRENT_WEIGHTS + direction);
      weights.init(units, units, u.shape(), 'c', u);
      INDArray bias = params.get(BIAS + direction);
      for (int gate = 0; gate < cell.gates(); gate++) {
        bias.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * units, (long) (gate + 1) * units))
            .assign(cell.initialBias(gate));
      }
    }
  }

  @Override
  public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
    int steps = Math.toIntExact(timesteps());
    SDVariable[] forward = direction(sd, input, params, 0);
    if (!bidirectional) {
      return lastStepOnly ? forward[steps - 1] : stack(sd, forward);
    }
    SDVariable[] backward = direction(sd, input, params, 1);
    if (lastStepOnly) {
      return sd.concat(1, forward[steps - 1], backward[0]);
    }
    SDVariable[] both = new SDVariable[steps];
    for (int t = 0; t < steps; t++) {
      both[t] = sd.concat(1, forward[t], backward[t]);
    }
    return stack(sd, both);
  }

  /** The hidden state {@code [batch, units]} after each step, indexed by step; direction 1 reads from the last step. */
  private SDVariable[] direction(SameDiff sd, SDVariable input, Map<String, SDVariable> params, int direction) {
    SDVariable u = params.get(RECURRENT_WEIGHTS + direction);
    // One product for the input side of every step: [batch·steps, in] × [in, gates·units].
    SDVariable stepMajor = input.permute(0, 2, 1).reshape(-1, inputSize());
    SDVariable inputSide = stepMajor.mmul(params.get(INPUT_WEIGHTS + direction)).add(params.get(BIAS + direction))
        .reshape(-1, timesteps(), (long) cell.gates() * units);
    long width = (long) cell.gates() * units;
    SDVariable[] outputs = new SDVariable[Math.toIntExact(timesteps())];
    SDVariable[] state = null;
    for (int i = 0; i < outputs.length; i++) {
      int t = direction == 0 ? i : outputs.length - 1 - i;
      // A point index here breaks strided_slice_bp in M2.1 when the step feeds an add directly (rnn).
      SDVariable x = inputSide.get(SDIndex.all(), SDIndex.interval(t, t + 1), SDIndex.all()).reshape(-1, width);
      if (state == null) {
        state = cell.initialState(x, units);
      } else if (truncation > 0 && i % truncation == 0) {
        state = detached(sd, state);
      }
      state = cell.step(sd, x, state, u, units);
      outputs[t] = state[0];
    }
    return outputs;
  }

  /** The same values with no gradient flowing back through them. */
  private static SDVariable[] detached(SameDiff sd, SDVariable[] state) {
    SDVariable[] detached = new SDVariable[state.length];
    for (int k = 0; k < state.length; k++) {
      detached[k] = new StopGradient(sd, state[k]).outputVariable();
    }
    return detached;
  }

  /** {@code [batch, width, timesteps]} from each step's {@code [batch, width]}. */
  private static SDVariable stack(SameDiff sd, SDVariable[] states) {
    SDVariable[] columns = new SDVariable[states.length];
    for (int t = 0; t < states.length; t++) {
      columns[t] = sd.expandDims(states[t], 2);
    }
    return sd.concat(2, columns);
  }
}
