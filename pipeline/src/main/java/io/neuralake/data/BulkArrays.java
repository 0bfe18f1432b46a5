package io.neuralake.data;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes and reads primitive arrays as blocks of little-endian bytes. Java serialization writes a
 * {@code float[]} or {@code long[]} one element at a time through a kilobyte buffer: in the bench's
 * conversion that took about as long as Spark's LZ4 compression of the same bytes.
 */
final class BulkArrays {

  /** Bytes per block: a buffer this size is reused for each array. */
  private static final int BLOCK = 1 << 16;

  private BulkArrays() {}

  static void write(ObjectOutput out, float[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buffer = buffer(values.length, Float.BYTES);
    for (int from = 0; from < values.length; ) {
      int count = Math.min(values.length - from, buffer.capacity() / Float.BYTES);
      buffer.clear();
      buffer.asFloatBuffer().put(values, from, count);
      out.write(buffer.array(), 0, count * Float.BYTES);
      from += count;
    }
  }

  static void write(ObjectOutput out, long[] values) throws IOException {
    out.writeInt(values.length);
    ByteBuffer buffer = buffer(values.length, Long.BYTES);
    for (int from = 0; from < values.length; ) {
      int count = Math.min(values.length - from, buffer.capacity() / Long.BYTES);
      buffer.clear();
      buffer.asLongBuffer().put(values, from, count);
      out.write(buffer.array(), 0, count * Long.BYTES);
      from += count;
    }
  }

  static float[] readFloats(ObjectInput in) throws IOException {
    float[] values = new float[length(in)];
    ByteBuffer buffer = buffer(values.length, Float.BYTES);
    for (int from = 0; from < values.length; ) {
      int count = Math.min(values.length - from, buffer.capacity() / Float.BYTES);
      in.readFully(buffer.array(), 0, count * Float.BYTES);
      buffer.clear();
      buffer.asFloatBuffer().get(values, from, count);
      from += count;
    }
    return values;
  }

  static long[] readLongs(ObjectInput in) throws IOException {
    long[] values = new long[length(in)];
    ByteBuffer buffer = buffer(values.length, Long.BYTES);
    for (int from = 0; from < values.length; ) {
      int count = Math.min(values.length - from, buffer.capacity() / Long.BYTES);
      in.readFully(buffer.array(), 0, count * Long.BYTES);
      buffer.clear();
      buffer.asLongBuffer().get(values, from, count);
      from += count;
    }
    return values;
  }

  private static int length(ObjectInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw new java.io.StreamCorruptedException("negative array length " + length);
    }
    return length;
  }

  private static ByteBuffer buffer(int length, int bytesPerValue) {
    return ByteBuffer.allocate(Math.max(bytesPerValue, (int) Math.min(BLOCK, (long) length * bytesPerValue)))
        .order(ByteOrder.LITTLE_ENDIAN);
  }
}
