package io.neuralake.data;

import static io.neuralake.testing.FloatArrays.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class OffHeapFloatsTest {

  @Test
  void createsArraysInCOrder() {
    INDArray array = OffHeapFloats.create(range(0, 6), 2, 3);
    assertEquals(DataType.FLOAT, array.dataType());
    assertEquals(5f, array.getFloat(1, 2));
    assertEquals(3f, array.getFloat(1, 0));
  }

  @Test
  void readsAndWritesViewsAtTheirOffset() {
    INDArray whole = OffHeapFloats.create(range(0, 100), 1, 100);
    INDArray view = whole.get(NDArrayIndex.interval(0, 1), NDArrayIndex.interval(10, 20));
    assertTrue(OffHeapFloats.isFlat(view));
    assertArrayEquals(range(10, 10), OffHeapFloats.of(view));

    OffHeapFloats.copy(range(500, 10), view);
    assertEquals(9f, whole.getFloat(0, 9));
    assertEquals(500f, whole.getFloat(0, 10));
    assertEquals(509f, whole.getFloat(0, 19));
    assertEquals(20f, whole.getFloat(0, 20));

    float[] chunk = new float[4];
    OffHeapFloats.read(view, 3, chunk, 1, 3);
    assertArrayEquals(new float[] {0, 503, 504, 505}, chunk);
  }

  @Test
  void goesThroughNd4jForArraysThatAreNotContiguousFloats() {
    INDArray transposed = OffHeapFloats.create(range(0, 6), 2, 3).transpose();
    assertFalse(OffHeapFloats.isFlat(transposed));
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, OffHeapFloats.of(transposed));
    OffHeapFloats.copy(range(10, 6), transposed);
    assertEquals(11f, transposed.getFloat(0, 1));

    INDArray doubles = Nd4j.createFromArray(1.5, 2.5);
    assertFalse(OffHeapFloats.isFlat(doubles));
    assertArrayEquals(new float[] {1.5f, 2.5f}, OffHeapFloats.of(doubles));
    OffHeapFloats.copy(new float[] {7, 8}, doubles);
    assertEquals(8.0, doubles.getDouble(1));
  }

  @Test
  void copiesToAndFromARegionOfALargerJavaArray() {
    float[] packed = range(0, 10);
    INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, 4);
    OffHeapFloats.copy(packed, 6, flat);
    assertArrayEquals(new float[] {6, 7, 8, 9}, OffHeapFloats.of(flat));
    INDArray transposed = Nd4j.zeros(DataType.FLOAT, 2, 2).transpose();
    OffHeapFloats.copy(packed, 2, transposed);
    assertArrayEquals(new float[] {2, 3, 4, 5}, OffHeapFloats.of(transposed));

    float[] target = new float[7];
    OffHeapFloats.into(flat, target, 1);
    OffHeapFloats.into(transposed, target, 3);
    assertArrayEquals(new float[] {0, 6, 7, 2, 3, 4, 5}, target);
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> OffHeapFloats.copy(packed, 7, flat));
    assertTrue(error.getMessage().contains("3 values from 7 do not fill an array of 4"), error.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OffHeapFloats.into(flat, target, 4));
  }

  @Test
  void refusesValuesOfAnotherLength() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> OffHeapFloats.copy(range(0, 5), Nd4j.zeros(DataType.FLOAT, 2, 3)));
    assertTrue(error.getMessage().contains("5 values do not fit an array of 6"), error.getMessage());
  }
}
