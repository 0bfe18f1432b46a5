package io.neuralake.estimators;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * A fitted {@link NeuralNetSequenceTagger}: {@code prediction} holds each step's most probable
 * class and {@code probability} each step's class probabilities. {@code transform} broadcasts the
 * network once and scores rows in batches.
 */
public class NeuralNetSequenceTaggerModel extends Model<NeuralNetSequenceTaggerModel>
    implements NeuralNetModel, SequenceTaggerParams<NeuralNetSequenceTaggerModel> {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnSequenceTaggerModel";

  private String uid;
  private final NeuralNetParamDefs defs;
  private final Columns columns;
  private final FittedNetwork network;

  NeuralNetSequenceTaggerModel(String uid, FittedNetwork network) {
    this(PendingUid.stash(uid), network, true);
  }

  private NeuralNetSequenceTaggerModel(String uid, FittedNetwork network, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.CROSSENTROPY);
    columns = new Columns(this);
    this.network = network;
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.take(UID_PREFIX);
    }
    return uid;
  }

  @Override
  public NeuralNetParamDefs neuralNetParamDefs() {
    return defs;
  }

  @Override
  public Columns taggerColumns() {
    return columns;
  }

  @Override
  public FittedNetwork fittedNetwork() {
    return network;
  }

  /** The number of classes each step is labelled with. */
  public int numClasses() {
    return network.numOutputs();
  }

  /** A table of the network's layers, output shapes and parameter counts. */
  public String networkSummary() {
    List<long[]> shapes = getNetwork().outputShapes(network.inputShape());
    long[] last = shapes.isEmpty() ? network.inputShape() : shapes.get(shapes.size() - 1);
    int steps = Math.toIntExact(last[0]);
    return getNetwork().summary(network.inputShape(), OutputHead.perStep(numClasses(), steps));
  }

  /** {@code schema} with the prediction and, unless empty, the probability column appended. */
  static StructType outputSchema(StructType schema, String predictionCol, String probabilityCol) {
    for (String column : new String[] {predictionCol, probabilityCol}) {
      if (!column.isEmpty() && Arrays.asList(schema.fieldNames()).contains(column)) {
        throw new IllegalArgumentException("output column '" + column + "' already exists; choose another name");
      }
    }
    StructType output = schema.add(predictionCol, DataTypes.createArrayType(DataTypes.DoubleType, false), false);
    return probabilityCol.isEmpty() ? output
        : output.add(probabilityCol, DataTypes.createArrayType(SQLDataTypes.VectorType(), false), false);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), network.numFeatures());
    return outputSchema(schema, getPredictionCol(), getProbabilityCol());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType output = transformSchema(dataset.schema(), true);
    int classes = numClasses();
    boolean probabilities = !getProbabilityCol().isEmpty();
    return BatchScoring.transform(dataset, output, getFeaturesCol(), network, outputs -> {
      int steps = outputs.length / classes;
      List<Double> predicted = new ArrayList<>(steps);
      List<Vector> probability = new ArrayList<>(steps);
      for (int t = 0; t < steps; t++) {
        Vector step = Vectors.dense(Arrays.copyOfRange(outputs, t * classes, (t + 1) * classes));
        predicted.add((double) step.argmax());
        probability.add(step);
      }
      Object predictions = JavaConverters.asScalaBuffer(predicted);
      return probabilities ? new Object[] {predictions, JavaConverters.asScalaBuffer(probability)}
          : new Object[] {predictions};
    });
  }

  @Override
  public NeuralNetSequenceTaggerModel copy(ParamMap extra) {
    return copyValues(new NeuralNetSequenceTaggerModel(uid(), network), extra).setParent(parent());
  }

  /** A reader for saved models. */
  public static MLReader<NeuralNetSequenceTaggerModel> read() {
    return new MLReader<>() {
      @Override
      public NeuralNetSequenceTaggerModel load(String path) {
        return FittedNetwork.loadModel(path, sc(), NeuralNetSequenceTaggerModel.class,
            NeuralNetSequenceTaggerModel::new);
      }
    };
  }

  /** Loads a model saved with {@code save}. */
  public static NeuralNetSequenceTaggerModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NeuralNetSequenceTaggerModel: uid=" + uid() + ", numClasses=" + numClasses() + ", network=" + getNetwork();
  }
}
