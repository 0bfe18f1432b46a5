package io.neuralake.data;

import static io.neuralake.testing.FloatArrays.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class BatchArraysTest {

  @Test
  void copiesABatchIntoThePreviousBatchsArraysWhereTheShapesMatch() {
    BatchArrays arrays = new BatchArrays();
    DataSet first = arrays.of(new Batch(range(0, 6), range(100, 4), 2, 3, 2));
    INDArray features = first.getFeatures();
    INDArray labels = first.getLabels();

    DataSet second = arrays.of(new Batch(range(10, 6), range(200, 4), 2, 3, 2));
    assertSame(features, second.getFeatures());
    assertSame(labels, second.getLabels());
    assertArrayEquals(range(10, 6), OffHeapFloats.of(second.getFeatures()));
    assertArrayEquals(range(200, 4), OffHeapFloats.of(second.getLabels()));

    DataSet smaller = arrays.of(new Batch(range(20, 3), range(300, 2), 1, 3, 2));
    assertNotSame(features, smaller.getFeatures());
    assertArrayEquals(new long[] {1, 3}, smaller.getFeatures().shape());
    assertArrayEquals(range(20, 3), OffHeapFloats.of(smaller.getFeatures()));
    assertArrayEquals(range(300, 2), OffHeapFloats.of(smaller.getLabels()));
  }

  @Test
  void laysPerStepLabelsOutAsDl4jsRecurrentLayersReadThem() {
    int rows = 2;
    int steps = 3;
    int values = 4;
    // Stored step by step: row, then step, then value.
    float[] labels = range(0, rows * steps * values);
    BatchArrays arrays = new BatchArrays();
    arrays.of(new Batch(range(50, rows * 5), range(500, rows * steps * values), rows, 5, steps * values, steps));
    INDArray laidOut = arrays.of(new Batch(range(0, rows * 5), labels, rows, 5, steps * values, steps)).getLabels();

    assertArrayEquals(new long[] {rows, values, steps}, laidOut.shape());
    for (int row = 0; row < rows; row++) {
      for (int step = 0; step < steps; step++) {
        for (int value = 0; value < values; value++) {
          assertEquals(labels[(row * steps + step) * values + value], laidOut.getFloat(row, value, step),
              "row " + row + ", step " + step + ", value " + value);
        }
      }
    }
  }
}
