package io.neuralake.data;

import java.io.Serializable;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A mini-batch kept on the heap as flat row-major arrays, so that Spark can cache, size and
 * serialize it without touching ND4J's off-heap memory.
 *
 * @param features {@code rows × featureSize} values
 * @param labels {@code rows × labelSize} values
 * @param rows number of examples
 * @param featureSize values per example
 * @param labelSize label values per example
 */
public record Batch(float[] features, float[] labels, int rows, int featureSize, int labelSize)
    implements Serializable {

  public Batch {
    if (features.length != (long) rows * featureSize || labels.length != (long) rows * labelSize) {
      throw new IllegalArgumentException("batch arrays do not match " + rows + " rows of "
          + featureSize + " features and " + labelSize + " labels");
    }
  }

  /** The batch as an ND4J DataSet (copies into off-heap memory). */
  public DataSet toDataSet() {
    INDArray f = Nd4j.create(features, new long[] {rows, featureSize}, 'c');
    INDArray l = Nd4j.create(labels, new long[] {rows, labelSize}, 'c');
    return new DataSet(f, l);
  }
}
