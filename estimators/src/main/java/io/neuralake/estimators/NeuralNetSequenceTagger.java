package io.neuralake.estimators;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

import io.neuralake.spec.Loss;
import io.neuralake.spec.OutputHead;
import io.neuralake.train.ValidationMetric;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A neural network that labels every step of a sequence (part-of-speech tagging, per-step anomaly
 * flags, the running state of a signal): features are sequences flattened step by step with their
 * (timesteps, features) shape, the label is an array with one class index per output step, and
 * the network ends with a sequence of that many steps, e.g. {@code gru(32, sequences=true)} or an
 * encoder–decoder {@code lstm(64) -> repeat(5) -> lstm(64, sequences=true)}. A softmax is put on
 * every step, trained by per-step cross-entropy with the same distributed training as the other
 * estimators; the validation metric is the share of right steps.
 */
public class NeuralNetSequenceTagger extends Estimator<NeuralNetSequenceTaggerModel>
    implements NeuralNetSetters<NeuralNetSequenceTagger>, SequenceTaggerParams<NeuralNetSequenceTagger>,
    DefaultParamsWritable {

  private static final long serialVersionUID = 1L;
  private static final String UID_PREFIX = "nnSequenceTagger";
  /** Upper bound on inferred classes, as a guard against a continuous label. */
  private static final int MAX_CLASSES = 10_000;

  private String uid;
  private final NeuralNetParamDefs defs;
  private final Columns columns;

  /** A tagger with a random uid and default params. */
  public NeuralNetSequenceTagger() {
    this(Identifiable.randomUID(UID_PREFIX));
  }

  /** A tagger with the given uid and default params. */
  public NeuralNetSequenceTagger(String uid) {
    this(PendingUid.stash(uid), true);
  }

  private NeuralNetSequenceTagger(String uid, boolean stashed) {
    super();
    uid();
    defs = new NeuralNetParamDefs(this, Loss.CROSSENTROPY);
    columns = new Columns(this);
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
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getFeaturesCol(), 0);
    StructField label = SchemaChecks.requireColumn(schema, getLabelCol(), "labelCol");
    if (!(label.dataType() instanceof ArrayType array && array.elementType() instanceof NumericType)) {
      throw new IllegalArgumentException("labelCol '" + getLabelCol() + "' must be an array of class indices, one "
          + "per step, but is " + label.dataType().simpleString());
    }
    return NeuralNetSequenceTaggerModel.outputSchema(schema, getPredictionCol(), getProbabilityCol());
  }

  @Override
  public NeuralNetSequenceTaggerModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    hyperparameters();
    if (Loss.parse(getLoss()) != Loss.CROSSENTROPY) {
      throw new IllegalArgumentException("the sequence tagger trains with crossentropy at every step; loss '"
          + getLoss() + "' is not supported here");
    }
    String quoted = "`" + getLabelCol().replace("`", "``") + "`";
    Column label = expr(quoted);
    Row[] offending = (Row[]) dataset.toDF().select(label).filter(expr("exists(" + quoted + ", x -> x IS NULL OR "
        + "isnan(x) OR x < 0 OR x != floor(x) OR x >= " + MAX_CLASSES + ")")).head(1);
    if (offending.length > 0) {
      throw new IllegalArgumentException("label column '" + getLabelCol() + "' holds " + offending[0].get(0)
          + " but every step's label must be a whole number in [0, " + MAX_CLASSES + ")");
    }
    Row extent = dataset.toDF().filter(label.isNotNull())
        .agg(min(size(label)), max(size(label)), max(expr("array_max(" + quoted + ")"))).head();
    if (extent.isNullAt(0)) {
      throw new IllegalArgumentException("the dataset has no rows with a non-null '" + getLabelCol()
          + "': there is nothing to fit");
    }
    int steps = extent.getInt(0);
    if (steps != extent.getInt(1) || steps == 0) {
      throw new IllegalArgumentException("label column '" + getLabelCol() + "' holds sequences of " + steps + " to "
          + extent.getInt(1) + " labels; every row needs the same number of steps (at least 1), one per output step");
    }
    int classes = Math.max(2, (int) ((Number) extent.get(2)).doubleValue() + 1);
    NeuralNetFitter fitter = new NeuralNetFitter(this, getFeaturesCol(), getLabelCol());
    FittedNetwork network = fitter.fit(dataset, fitter.inputShape(dataset), OutputHead.perStep(classes, steps),
        ValidationMetric.ACCURACY);
    return copyValues(new NeuralNetSequenceTaggerModel(uid(), network).setParent(this), ParamMap.empty());
  }

  @Override
  public NeuralNetSequenceTagger copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader for saved taggers. */
  public static MLReader<NeuralNetSequenceTagger> read() {
    return new DefaultParamsReader<>();
  }

  /** Loads a tagger saved with {@code save}. */
  public static NeuralNetSequenceTagger load(String path) {
    return read().load(path);
  }
}
