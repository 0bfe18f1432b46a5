package io.neuralake.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** The serialized forms of what crosses Spark's shuffle and spills from its cache: {@link RowBlock} and {@link Batch}. */
class BulkSerializationTest {

  private static float[] floats(int count, long seed) {
    Random random = new Random(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @SuppressWarnings("unchecked")
  private static <T> T javaRoundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void rowBlocksLargerThanABufferKeepEveryBit() throws Exception {
    int rows = 300;
    long[] positions = new long[rows];
    for (int i = 0; i < rows; i++) {
      positions[i] = (long) i << 33 | i * 7L;
    }
    positions[0] = Long.MIN_VALUE;
    positions[1] = Long.MAX_VALUE;
    float[] features = floats(rows * 100, 1);
    features[5] = Float.NaN;
    features[6] = -0f;
    features[7] = Float.NEGATIVE_INFINITY;
    float[] labels = floats(rows * 3, 2);

    RowBlock read = javaRoundTrip(new RowBlock(positions, features, labels));

    assertArrayEquals(positions, read.positions());
    assertEquals(features.length, read.features().length);
    for (int i = 0; i < features.length; i++) {
      assertEquals(Float.floatToRawIntBits(features[i]), Float.floatToRawIntBits(read.features()[i]), "value " + i);
    }
    assertArrayEquals(labels, read.labels());
  }

  @Test
  void batchesWithoutLabelsAndWithPerStepLabelsRoundTrip() throws Exception {
    Batch reconstruction = javaRoundTrip(new Batch(floats(64 * 784, 3), new float[0], 64, 784, 0));
    assertEquals(64, reconstruction.rows());
    assertArrayEquals(floats(64 * 784, 3), reconstruction.features());
    assertEquals(0, reconstruction.labels().length);

    Batch steps = new Batch(floats(2 * 12, 4), floats(2 * 12, 5), 2, 12, 12, 4);
    Batch read = javaRoundTrip(steps);
    assertArrayEquals(steps.features(), read.features());
    assertArrayEquals(steps.labels(), read.labels());
    assertEquals(4, read.labelSteps());
    assertEquals(12, read.labelSize());
  }

  @Test
  void kryoSessionsSerializeThemTheSameWay() {
    SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
    RowBlock block = new RowBlock(new long[] {3, 1}, floats(2 * 5, 6), floats(2, 7));
    RowBlock read = kryo.deserialize(kryo.serialize(block, ClassTag$.MODULE$.apply(RowBlock.class)),
        ClassTag$.MODULE$.apply(RowBlock.class));
    assertArrayEquals(block.positions(), read.positions());
    assertArrayEquals(block.features(), read.features());
    assertArrayEquals(block.labels(), read.labels());
  }

  @Test
  void aBatchReadBackIsValidatedAsOneBuiltHere() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new Batch(floats(6, 8), floats(2, 9), 2, 3, 1));
    }
    byte[] stream = bytes.toByteArray();
    // The last int written is labelSteps (0): make it 5, which 1 label value per row cannot split into.
    stream[stream.length - 2] = 5;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(stream))) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class, in::readObject);
      assertEquals("1 label values do not split into 5 steps", error.getMessage());
    }
  }
}
