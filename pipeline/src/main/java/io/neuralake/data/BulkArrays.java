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
    write(out, values.length, Float.BYTES, (buffer, from, count) -> buffer.asFloatBuffer().put(values, from, count));
  }

  static void write(ObjectOutput out, long[] values) throws IOException {
    write(out, values.length, Long.BYTES, (buffer, from, count) -> buffer.asLongBuffer().put(values, from, count));
  }

  static float[] readFloats(ObjectInput in) throws IOException {
    float[] values = new float[length(in)];
    read(in, values.length, Float.BYTES, (buffer, from, count) -> buffer.asFloatBuffer().get(values, from, count));
    return values;
  }

  static long[] readLongs(ObjectInput in) throws IOException {
    long[] values = new long[length(in)];
    read(in, values.length, Long.BYTES, (buffer, from, count) -> buffer.asLongBuffer().get(values, from, count));
    return values;
  }

  /** Copies {@code count} values of an array from its element {@code from} into, or out of, a buffer. */
  private interface Block {
    void copy(ByteBuffer buffer, int from, int count);
  }

  private static void write(ObjectOutput out, int length, int bytesPerValue, Block fill) throws IOException {
    out.writeInt(length);
    ByteBuffer buffer = buffer(length, bytesPerValue);
    for (int from = 0; from < length; ) {
      int count = Math.min(length - from, buffer.capacity() / bytesPerValue);
      buffer.clear();
      fill.copy(buffer, from, count);
      out.write(buffer.array(), 0, count * bytesPerValue);
      from += count;
    }
  }

  private static void read(ObjectInput in, int length, int bytesPerValue, Block drain) throws IOException {
    ByteBuffer buffer = buffer(length, bytesPerValue);
    for (int from = 0; from < length; ) {
      int count = Math.min(length - from, buffer.capacity() / bytesPerValue);
      in.readFully(buffer.array(), 0, count * bytesPerValue);
      buffer.clear();
      drain.copy(buffer, from, count);
      from += count;
    }
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
