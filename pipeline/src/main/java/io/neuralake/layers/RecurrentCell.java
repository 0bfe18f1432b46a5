package io.neuralake.layers;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The recurrent cells, each one step of {@link RecurrentLayer}: the inputs' share of every gate,
 * {@code x W + b}, comes precomputed for all steps at once, packed gate after gate.
 */
public enum RecurrentCell {
  /** Elman's simple RNN: h' = tanh(x W + h U + b). */
  RNN(1),
  /**
   * Long short-term memory (Hochreiter &amp; Schmidhuber 1997), gates i, f, g, o:
   * c' = σ(f) ⊙ c + σ(i) ⊙ tanh(g), h' = σ(o) ⊙ tanh(c'); the forget gate's bias starts at 1.
   */
  LSTM(4),
  /**
   * Gated recurrent unit (Cho et al. 2014) with the reset gate applied after the recurrent product,
   * as in cuDNN and Keras' {@code reset_after}: z = σ(·), r = σ(·), n = tanh(x W_n + b_n + r ⊙ (h U_n)),
   * h' = (1 − z) ⊙ n + z ⊙ h.
   */
  GRU(3);

  private final int gates;

  RecurrentCell(int gates) {
    this.gates = gates;
  }

  /** Gates per unit: the width of the packed weights is {@code gates × units}. */
  public int gates() {
    return gates;
  }

  /** The name in the text forms, e.g. {@code lstm}. */
  public String textName() {
    return name().toLowerCase();
  }

  /** Trainable values of one direction: per gate an input matrix, a recurrent matrix and a bias. */
  public long parameterCount(long inputSize, int units) {
    return gates * (inputSize * units + (long) units * units + units);
  }

  /** The state after one step: {@code [h]}, or {@code [h, c]} for the LSTM. */
  SDVariable[] step(SameDiff sd, SDVariable inputSide, SDVariable[] state, SDVariable recurrentWeights, int units) {
    SDVariable recurrent = state[0].mmul(recurrentWeights);
    return switch (this) {
      case RNN -> new SDVariable[] {sd.nn.tanh(sum(inputSide, recurrent, 0, units))};
      case LSTM -> {
        SDVariable i = sd.nn.sigmoid(sum(inputSide, recurrent, 0, units));
        SDVariable f = sd.nn.sigmoid(sum(inputSide, recurrent, 1, units));
        SDVariable g = sd.nn.tanh(sum(inputSide, recurrent, 2, units));
        SDVariable o = sd.nn.sigmoid(sum(inputSide, recurrent, 3, units));
        SDVariable c = f.mul(state[1]).add(i.mul(g));
        yield new SDVariable[] {o.mul(sd.nn.tanh(c)), c};
      }
      case GRU -> {
        SDVariable z = sd.nn.sigmoid(sum(inputSide, recurrent, 0, units));
        SDVariable r = sd.nn.sigmoid(sum(inputSide, recurrent, 1, units));
        SDVariable n = sd.nn.tanh(gate(inputSide, 2, units).add(r.mul(gate(recurrent, 2, units))));
        yield new SDVariable[] {n.add(z.mul(state[0].sub(n)))};
      }
    };
  }

  /** The zero state before the first step, shaped like one gate of {@code inputSide}. */
  SDVariable[] initialState(SDVariable inputSide, int units) {
    SDVariable zeros = gate(inputSide, 0, units).mul(0.0);
    return this == LSTM ? new SDVariable[] {zeros, zeros} : new SDVariable[] {zeros};
  }

  /** The bias each gate starts from: 1 for the LSTM's forget gate, 0 elsewhere. */
  double initialBias(int gate) {
    return this == LSTM && gate == 1 ? 1.0 : 0.0;
  }

  private SDVariable sum(SDVariable inputSide, SDVariable recurrent, int index, int units) {
    return gate(inputSide, index, units).add(gate(recurrent, index, units));
  }

  private SDVariable gate(SDVariable packed, int index, int units) {
    if (gates == 1) {
      return packed;
    }
    return packed.get(SDIndex.all(), SDIndex.interval((long) index * units, (long) (index + 1) * units));
  }
}
