package io.neuralake.spec;

import io.neuralake.layers.RecurrentCell;
import io.neuralake.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A recurrent layer over a (timesteps, features) input, trained by backpropagation through time.
 *
 * @param cell the cell: rnn, lstm or gru
 * @param units hidden units per direction, &ge; 1
 * @param bidirectional also run the sequence backwards and concatenate both directions' outputs
 * @param sequences output every step's hidden state (timesteps, width); otherwise each direction's final
 *     state (width), the backward direction's being the one after it has read the whole sequence
 * @param tbptt truncated BPTT: gradients flow back through the state only within segments of this
 *     many steps (the state itself flows over the whole sequence); 0 for full BPTT
 */
public record RecurrentSpec(RecurrentCell cell, int units, boolean bidirectional, boolean sequences, int tbptt)
    implements LayerSpec {

  public RecurrentSpec {
    Shapes.requirePositive(cell.textName() + " units", units);
    if (tbptt < 0) {
      throw new IllegalArgumentException(cell.textName() + " tbptt must be >= 0 (0 for full backpropagation "
          + "through time), got " + tbptt);
    }
  }

  /** A layer trained with full backpropagation through time. */
  public RecurrentSpec(RecurrentCell cell, int units, boolean bidirectional, boolean sequences) {
    this(cell, units, bidirectional, sequences, 0);
  }

  @Override
  public String toText() {
    return cell.textName() + "(" + units + (bidirectional ? ", bidirectional=true" : "")
        + (sequences ? ", sequences=true" : "") + (tbptt > 0 ? ", tbptt=" + tbptt : "") + ")";
  }

  private int width() {
    return bidirectional ? 2 * units : units;
  }

  @Override
  public long[] outputShape(long[] inputShape) {
    long[] in = Shapes.requireSequence(cell.textName(), inputShape);
    return sequences ? new long[] {in[0], width()} : new long[] {width()};
  }

  @Override
  public long parameterCount(long[] inputShape) {
    return (bidirectional ? 2 : 1) * cell.parameterCount(inputShape[1], units);
  }

  @Override
  public Layer toDl4j(long[] inputShape) {
    return new RecurrentLayer(cell, units, bidirectional, !sequences, tbptt);
  }
}
