package io.neuralake.transformers;

import java.util.Arrays;

import io.neuralake.data.TensorShape;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;

/**
 * Turns a sequence column, {@code array<vector>} (one vector per step) or {@code array<double>}
 * (one value per step), into the flat vector column the neural-net estimators read: steps one
 * after the other, with the shape (timesteps, features) in the column metadata. All sequences must
 * have the first row's number of steps and step size; a row that does not fails the job with its
 * sizes, so pad or truncate sequences first.
 */
public class SequenceAssembler extends Transformer implements DefaultParamsWritable {

  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;

  /** An assembler with a random uid. */
  public SequenceAssembler() {
    this(Identifiable.randomUID("sequenceAssembler"));
  }

  /** An assembler with the given uid. */
  public SequenceAssembler(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "the array<vector> or array<double> column of sequences");
    outputCol = new Param<>(this, "outputCol", "the flat vector column to write");
    setDefault(outputCol, "features");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The sequence column. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** The flat vector column written, {@code features} by default. */
  public Param<String> outputCol() {
    return outputCol;
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public String getOutputCol() {
    return $(outputCol);
  }

  public SequenceAssembler setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public SequenceAssembler setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(inputCol)) {
      throw new IllegalArgumentException("SequenceAssembler needs inputCol; set it to the sequence column");
    }
    stepType(schema);
    if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
      throw new IllegalArgumentException("outputCol '" + getOutputCol() + "' already exists; choose another name");
    }
    return schema.add(new StructField(getOutputCol(), SQLDataTypes.VectorType(), true, Metadata.empty()));
  }

  /** The type of one step: vector or double; an error for anything else. */
  private DataType stepType(StructType schema) {
    String column = getInputCol();
    if (!Arrays.asList(schema.fieldNames()).contains(column)) {
      throw new IllegalArgumentException("inputCol '" + column + "' is not a column of the input; columns are "
          + Arrays.toString(schema.fieldNames()));
    }
    DataType type = schema.apply(column).dataType();
    if (type instanceof ArrayType array && (array.elementType().equals(SQLDataTypes.VectorType())
        || array.elementType().equals(DataTypes.DoubleType))) {
      return array.elementType();
    }
    throw new IllegalArgumentException("inputCol '" + column + "' must be array<vector> or array<double> but is "
        + type.simpleString() + "; collect each sequence's steps into an array");
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    boolean vectors = stepType(dataset.schema()).equals(SQLDataTypes.VectorType());
    String column = getInputCol();
    Row[] first = (Row[]) dataset.select(column).na().drop().head(1);
    if (first.length == 0) {
      throw new IllegalArgumentException("inputCol '" + column + "' holds no sequence: there is nothing to assemble");
    }
    Seq<?> sample = first[0].getSeq(0);
    long steps = sample.length();
    long stepSize = vectors && steps > 0 ? ((Vector) sample.apply(0)).size() : 1;
    if (steps == 0 || stepSize == 0) {
      throw new IllegalArgumentException("inputCol '" + column + "': the first sequence is empty");
    }
    UserDefinedFunction flatten = functions.udf(
        (UDF1<Seq<?>, Vector>) sequence -> flatten(sequence, vectors, column, (int) steps, (int) stepSize),
        SQLDataTypes.VectorType());
    Metadata metadata = TensorShape.with(new AttributeGroup(getOutputCol(), (int) (steps * stepSize)).toMetadata(),
        new long[] {steps, stepSize});
    return dataset.withColumn(getOutputCol(), flatten.apply(dataset.col(column)), metadata);
  }

  private static Vector flatten(Seq<?> sequence, boolean vectors, String column, int steps, int stepSize) {
    if (sequence == null) {
      throw new IllegalArgumentException("inputCol '" + column + "' holds a null sequence; drop or fill such rows");
    }
    if (sequence.length() != steps) {
      throw new IllegalArgumentException("inputCol '" + column + "' holds a sequence of " + sequence.length()
          + " steps but the first row has " + steps + "; pad or truncate all sequences to one length");
    }
    double[] values = new double[steps * stepSize];
    for (int t = 0; t < steps; t++) {
      Object step = sequence.apply(t);
      if (step == null) {
        throw new IllegalArgumentException("inputCol '" + column + "' holds a null at step " + t);
      }
      if (vectors) {
        Vector vector = (Vector) step;
        if (vector.size() != stepSize) {
          throw new IllegalArgumentException("inputCol '" + column + "' holds a step of size " + vector.size()
              + " but the first row's steps have size " + stepSize + "; all steps must have one size");
        }
        System.arraycopy(vector.toArray(), 0, values, t * stepSize, stepSize);
      } else {
        values[t] = (Double) step;
      }
    }
    return Vectors.dense(values);
  }

  @Override
  public SequenceAssembler copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader for saved assemblers. */
  public static MLReader<SequenceAssembler> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads an assembler saved with {@code save}. */
  public static SequenceAssembler load(String path) {
    return read().load(path);
  }
}
