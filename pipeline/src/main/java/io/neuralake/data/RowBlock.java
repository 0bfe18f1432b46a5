package io.neuralake.data;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.List;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;

/**
 * Rows bound for one partition of the batch layout, already converted to floats: what crosses the
 * shuffle, half the size of Spark's double vectors and without a row object per example.
 *
 * @param positions each row's position in the source, which orders rows before the seeded shuffle
 * @param features {@code rows × featureSize} values
 * @param labels {@code rows × labelSize} values, empty when the targets are the features
 */
@DefaultSerializer(JavaSerializer.class)
record RowBlock(long[] positions, float[] features, float[] labels) implements Serializable {

  int rows() {
    return positions.length;
  }

  /** Serialized as {@link Form}, its arrays in bulk. */
  private Object writeReplace() {
    return new Form(this);
  }

  /** A block's serialized form. */
  private static final class Form implements Externalizable {

    private static final long serialVersionUID = 1L;

    private RowBlock block;

    public Form() {}

    Form(RowBlock block) {
      this.block = block;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      BulkArrays.write(out, block.positions);
      BulkArrays.write(out, block.features);
      BulkArrays.write(out, block.labels);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      block = new RowBlock(BulkArrays.readLongs(in), BulkArrays.readFloats(in), BulkArrays.readFloats(in));
    }

    private Object readResolve() {
      return block;
    }
  }

  /** The rows of several blocks, numbered one block after another, read where they lie rather than copied together. */
  static final class Sequence {

    private final List<RowBlock> blocks;
    private final int[] blockOf;
    private final int[] rowInBlock;

    Sequence(List<RowBlock> blocks) {
      this.blocks = blocks;
      int rows = blocks.stream().mapToInt(RowBlock::rows).sum();
      blockOf = new int[rows];
      rowInBlock = new int[rows];
      int row = 0;
      for (int block = 0; block < blocks.size(); block++) {
        for (int inBlock = 0; inBlock < blocks.get(block).rows(); inBlock++, row++) {
          blockOf[row] = block;
          rowInBlock[row] = inBlock;
        }
      }
    }

    int rows() {
      return blockOf.length;
    }

    long position(int row) {
      return blocks.get(blockOf[row]).positions[rowInBlock[row]];
    }

    /** Copies row {@code row}'s {@code featureSize} features into {@code target} from {@code offset}. */
    void copyFeatures(int row, int featureSize, float[] target, int offset) {
      System.arraycopy(blocks.get(blockOf[row]).features, rowInBlock[row] * featureSize, target, offset, featureSize);
    }

    /** Copies row {@code row}'s {@code labelSize} labels into {@code target} from {@code offset}. */
    void copyLabels(int row, int labelSize, float[] target, int offset) {
      System.arraycopy(blocks.get(blockOf[row]).labels, rowInBlock[row] * labelSize, target, offset, labelSize);
    }
  }
}
