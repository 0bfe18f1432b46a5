package io.neuralake.data;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import java.util.Random;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A mini-batch kept on the heap as flat row-major arrays, so that Spark can cache, size and
 * serialize it without touching ND4J's off-heap memory.
 *
 * @param features {@code rows × featureSize} values
 * @param labels {@code rows × labelSize} values
 * @param rows number of examples
 * @param featureSize values per example
 * @param labelSize label values per example
 * @param labelSteps 0 for one label vector per example, else the number of steps of per-step labels
 *     stored step by step ({@code labelSize / labelSteps} values each)
 */
@DefaultSerializer(JavaSerializer.class)
public record Batch(float[] features, float[] labels, int rows, int featureSize, int labelSize, int labelSteps)
    implements Serializable {

  public Batch {
    if (features.length != (long) rows * featureSize || labels.length != (long) rows * labelSize) {
      throw new IllegalArgumentException("batch arrays do not match " + rows + " rows of "
          + featureSize + " features and " + labelSize + " labels");
    }
    if (labelSteps < 0 || labelSteps > 0 && labelSize % labelSteps != 0) {
      throw new IllegalArgumentException(labelSize + " label values do not split into " + labelSteps + " steps");
    }
  }

  /** A batch with one label vector per example. */
  public Batch(float[] features, float[] labels, int rows, int featureSize, int labelSize) {
    this(features, labels, rows, featureSize, labelSize, 0);
  }

  /** A copy of this batch whose features {@code transform} changed, example by example, drawing from {@code random}. */
  public Batch transformed(ExampleTransform transform, Random random) {
    float[] changed = features.clone();
    for (int row = 0; row < rows; row++) {
      transform.apply(changed, row * featureSize, featureSize, random);
    }
    return new Batch(changed, labels, rows, featureSize, labelSize, labelSteps);
  }

  /**
   * The batch as an ND4J DataSet of new arrays (copies into off-heap memory); per-step labels in DL4J's
   * recurrent layout {@code [rows, values, steps]}. {@link BatchArrays} copies batches into arrays it reuses.
   */
  public DataSet toDataSet() {
    return new BatchArrays().of(this);
  }

  /** Serialized as {@link Form}, its arrays in bulk, as when a cache spills to disk. */
  private Object writeReplace() {
    return new Form(this);
  }

  /** A batch's serialized form. */
  private static final class Form implements Externalizable {

    private static final long serialVersionUID = 1L;

    private Batch batch;

    public Form() {}

    Form(Batch batch) {
      this.batch = batch;
    }

    @Override
    public void writeExternal(ObjectOutput out) throws IOException {
      BulkArrays.write(out, batch.features);
      BulkArrays.write(out, batch.labels);
      out.writeInt(batch.rows);
      out.writeInt(batch.featureSize);
      out.writeInt(batch.labelSize);
      out.writeInt(batch.labelSteps);
    }

    @Override
    public void readExternal(ObjectInput in) throws IOException {
      float[] features = BulkArrays.readFloats(in);
      float[] labels = BulkArrays.readFloats(in);
      batch = new Batch(features, labels, in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    private Object readResolve() {
      return batch;
    }
  }
}
