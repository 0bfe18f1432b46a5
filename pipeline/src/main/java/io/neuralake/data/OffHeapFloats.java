package io.neuralake.data;

import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between Java {@code float[]} and ND4J's off-heap arrays. ND4J's own paths
 * ({@code Nd4j.create(float[])}, {@code data().asFloat()}) copy one element at a time through an
 * indexer; these copy memory in one go where the array is a contiguous float array in host memory
 * (the CPU backend), and fall back to ND4J's paths elsewhere.
 */
public final class OffHeapFloats {

  private OffHeapFloats() {}

  /** A new c-ordered float array of {@code shape} holding {@code values}. */
  public static INDArray create(float[] values, long... shape) {
    if (!Nd4j.getEnvironment().isCPU()) {
      return Nd4j.create(values, shape, 'c');
    }
    INDArray array = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
    write(values, 0, values.length, array, 0);
    return array;
  }

  /** Overwrites {@code target}, whose length must be {@code values.length}, with {@code values} in c order. */
  public static void copy(float[] values, INDArray target) {
    if (target.length() != values.length) {
      throw new IllegalArgumentException(values.length + " values do not fit an array of " + target.length());
    }
    copy(values, 0, target);
  }

  /** Overwrites {@code target} in c order with as many of {@code values} as it holds, from {@code offset}. */
  public static void copy(float[] values, int offset, INDArray target) {
    int length = Math.toIntExact(target.length());
    if (offset < 0 || values.length - offset < length) {
      throw new IllegalArgumentException((values.length - offset) + " values from " + offset
          + " do not fill an array of " + length);
    }
    if (isFlat(target)) {
      write(values, offset, length, target, 0);
    } else {
      target.assign(create(Arrays.copyOfRange(values, offset, offset + length), target.shape()));
    }
  }

  /** The values of {@code array} in c order, as floats. */
  public static float[] of(INDArray array) {
    return into(array, new float[Math.toIntExact(array.length())], 0);
  }

  /**
   * Copies the values of {@code array} in c order into {@code target} from {@code offset}, where
   * they must fit, and returns {@code target}.
   */
  public static float[] into(INDArray array, float[] target, int offset) {
    if (offset < 0 || target.length - offset < array.length()) {
      throw new IllegalArgumentException(array.length() + " values do not fit an array of " + target.length
          + " from " + offset);
    }
    INDArray flat = flat(array);
    if (isFlat(flat)) {
      read(flat, 0, target, offset, (int) flat.length());
    } else {
      float[] values = flat.data().asFloat();
      System.arraycopy(values, 0, target, offset, values.length);
    }
    return target;
  }

  /** {@code array} itself where it is {@link #isFlat flat}, else its values in a new c-ordered float array. */
  public static INDArray flat(INDArray array) {
    return isFlat(array) ? array : array.castTo(DataType.FLOAT).dup('c');
  }

  /**
   * Whether {@code array} is a float array in host memory whose elements lie contiguously in c
   * order, which {@link #read} and {@link #write} need.
   */
  public static boolean isFlat(INDArray array) {
    return Nd4j.getEnvironment().isCPU() && array.dataType() == DataType.FLOAT && array.elementWiseStride() == 1
        && (array.ordering() == 'c' || array.isVectorOrScalar());
  }

  /** Copies {@code length} values of flat {@code source}, from its element {@code from}, into {@code target}. */
  public static void read(INDArray source, long from, float[] target, int offset, int length) {
    pointer(source).position(from).get(target, offset, length);
  }

  /**
   * Copies {@code length} values of {@code source}, from {@code offset}, into flat {@code target} at
   * its element {@code from}.
   */
  public static void write(float[] source, int offset, int length, INDArray target, long from) {
    pointer(target).position(from).put(source, offset, length);
  }

  /**
   * A pointer to flat {@code array}'s values, for many copies in a row: finding the address takes
   * ND4J a native call and a few objects each time.
   */
  public static FloatPointer pointer(INDArray array) {
    return new FloatPointer(array.data().addressPointer());
  }
}
