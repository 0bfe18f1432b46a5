package io.neuralake.data;

import java.io.Serializable;
import java.util.Arrays;
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

  /** All rows of {@code blocks}, one after another. */
  static RowBlock concat(List<RowBlock> blocks, int featureSize, int labelSize) {
    Builder all = new Builder(blocks.stream().mapToInt(RowBlock::rows).sum(), featureSize, labelSize);
    blocks.forEach(all::addAll);
    return all.build();
  }

  /** Collects rows of one size into growing arrays. */
  static final class Builder {

    private final int featureSize;
    private final int labelSize;
    private long[] positions;
    private float[] features;
    private float[] labels;
    private int rows;

    Builder(int capacity, int featureSize, int labelSize) {
      this.featureSize = featureSize;
      this.labelSize = labelSize;
      positions = new long[Math.max(1, capacity)];
      features = new float[positions.length * featureSize];
      labels = new float[positions.length * labelSize];
    }

    int rows() {
      return rows;
    }

    /** Adds one row; {@code label} is read only when the block has labels. */
    void add(long position, float[] feature, float[] label) {
      if (rows == positions.length) {
        int capacity = 2 * rows;
        positions = Arrays.copyOf(positions, capacity);
        features = Arrays.copyOf(features, capacity * featureSize);
        labels = Arrays.copyOf(labels, capacity * labelSize);
      }
      positions[rows] = position;
      System.arraycopy(feature, 0, features, rows * featureSize, featureSize);
      System.arraycopy(label, 0, labels, rows * labelSize, labelSize);
      rows++;
    }

    private void addAll(RowBlock block) {
      System.arraycopy(block.positions, 0, positions, rows, block.rows());
      System.arraycopy(block.features, 0, features, rows * featureSize, block.features.length);
      System.arraycopy(block.labels, 0, labels, rows * labelSize, block.labels.length);
      rows += block.rows();
    }

    RowBlock build() {
      return new RowBlock(Arrays.copyOf(positions, rows), Arrays.copyOf(features, rows * featureSize),
          Arrays.copyOf(labels, rows * labelSize));
    }
  }
}
