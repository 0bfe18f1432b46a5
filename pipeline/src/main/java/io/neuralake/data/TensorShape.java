package io.neuralake.data;

import java.util.Arrays;
import java.util.Optional;

import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;

/**
 * The shape of one example of a vector column, e.g. {@code [channels, height, width]} for images
 * flattened channel by channel, row by row. It travels in the column's metadata under
 * {@value #METADATA_KEY}, next to Spark's ML attributes.
 */
public final class TensorShape {

  /** The metadata key that holds the shape as an array of longs. */
  public static final String METADATA_KEY = "neuralake_shape";

  private TensorShape() {}

  /** The shape recorded on {@code field}, if any. */
  public static Optional<long[]> of(StructField field) {
    Metadata metadata = field.metadata();
    return metadata.contains(METADATA_KEY) ? Optional.of(metadata.getLongArray(METADATA_KEY)) : Optional.empty();
  }

  /** {@code metadata} with {@code shape} recorded. */
  public static Metadata with(Metadata metadata, long[] shape) {
    return new MetadataBuilder().withMetadata(metadata).putLongArray(METADATA_KEY, shape).build();
  }

  /** The number of values of one example. */
  public static long size(long[] shape) {
    return Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }
}
