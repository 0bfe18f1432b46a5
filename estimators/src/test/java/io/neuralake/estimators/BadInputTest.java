package io.neuralake.estimators;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.data.TensorShape;
import io.neuralake.testdata.Digits;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input fails before or during the fit with a message that names the column, the value and the fix. */
class BadInputTest {

  private static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType(), true)
      .add("label", DataTypes.DoubleType, true);

  private static Dataset<Row> frame(Row... rows) {
    return LocalSpark.session().createDataFrame(List.of(rows), SCHEMA);
  }

  private static void assertFailsWith(String expected, Executable fit) {
    Throwable e = assertThrows(Exception.class, fit);
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append(" | ");
    }
    assertTrue(messages.toString().contains(expected), "'" + expected + "' not in: " + messages);
  }

  private static NeuralNetClassifier classifier() {
    return new NeuralNetClassifier().setEpochs(1).setNetwork("dense(4)");
  }

  @Test
  void missingFeaturesColumnNamesTheColumnsThereAre() {
    assertFailsWith("featuresCol 'pixels' is not a column of the input; columns are [features, label]",
        () -> classifier().setFeaturesCol("pixels").fit(frame(RowFactory.create(Vectors.dense(1, 2), 0.0))));
  }

  @Test
  void nonVectorFeaturesPointToVectorAssembler() {
    SparkSession spark = LocalSpark.session();
    Dataset<Row> strings = spark.createDataFrame(List.of(RowFactory.create("a", 0.0)),
        new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType));
    assertFailsWith("must be a vector column but is string; assemble the inputs with VectorAssembler",
        () -> classifier().fit(strings));
  }

  @Test
  void fractionalLabelIsNamedWithItsValue() {
    assertFailsWith("label column 'label' holds 1.5 but labels must be whole numbers in [0, 10000)",
        () -> classifier().fit(frame(RowFactory.create(Vectors.dense(1, 2), 0.0),
            RowFactory.create(Vectors.dense(1, 3), 2.0), RowFactory.create(Vectors.dense(2, 2), 1.5))));
  }

  @Test
  void nullAndNegativeLabelsAreNamed() {
    assertFailsWith("label column 'label' holds null but labels must be whole numbers",
        () -> classifier().fit(frame(RowFactory.create(Vectors.dense(1, 2), 0.0),
            RowFactory.create(Vectors.dense(1, 3), null))));
    assertFailsWith("label column 'label' holds -1.0 but labels must be whole numbers",
        () -> classifier().fit(frame(RowFactory.create(Vectors.dense(1, 2), -1.0),
            RowFactory.create(Vectors.dense(1, 3), null))));
  }

  @Test
  void vectorsOfDifferentSizesAreRefused() {
    assertFailsWith("holds a vector of size 3 but the network was built for 2",
        () -> classifier().setNumWorkers(1).fit(frame(RowFactory.create(Vectors.dense(1, 2), 0.0),
            RowFactory.create(Vectors.dense(1, 2, 3), 1.0))));
  }

  @Test
  void shapeMetadataThatTheVectorsDoNotHaveIsRefusedByTheConversion() {
    Dataset<Row> frame = frame(RowFactory.create(Vectors.dense(1, 2, 3), 0.0),
        RowFactory.create(Vectors.dense(1, 3, 5), 1.0));
    // The recorded shape gives the vector size without a job over the rows; every row is checked in the conversion.
    Dataset<Row> misdescribed = frame.withColumn("features", frame.col("features"),
        TensorShape.with(Metadata.empty(), new long[] {2}));
    assertFailsWith("holds a vector of size 3 but the network was built for 2",
        () -> classifier().setNumWorkers(1).fit(misdescribed));
  }

  @Test
  void nullFeaturesAreRefused() {
    assertFailsWith("features column 'features' holds a null vector",
        () -> classifier().setNumWorkers(1).fit(frame(RowFactory.create(Vectors.dense(1, 2), 0.0),
            RowFactory.create(null, 1.0))));
  }

  @Test
  void wrongVectorSizeAtTransformIsNamed() {
    NeuralNetClassificationModel model = classifier().fit(Digits.load(LocalSpark.session()).limit(100));
    assertFailsWith("the model expects feature vectors of size 64 but column 'features' holds one of size 2",
        () -> model.transform(frame(RowFactory.create(Vectors.dense(1, 2), 0.0))).collect());
  }

  @Test
  void anInputShapeThatDoesNotMatchTheVectorsIsNamed() {
    assertFailsWith("inputShape [1, 7, 7] does not fit featuresCol 'features', whose vectors have 64 values",
        () -> classifier().setInputShape(1, 7, 7).fit(Digits.load(LocalSpark.session())));
  }

  @Test
  void aKernelLargerThanTheImageFailsBeforeAnyTraining() {
    assertFailsWith("conv kernel 9 is larger than its input of 8",
        () -> classifier().setNetwork("conv(4, 9)").fit(Digits.load(LocalSpark.session())));
  }

  @Test
  void outOfRangeParamIsRefusedWhenSet() {
    assertFailsWith("parameter learningRate given invalid value -1.0", () -> classifier().setLearningRate(-1));
    assertFailsWith("parameter updater given invalid value adamw", () -> classifier().setUpdater("adamw"));
  }

  @Test
  void thresholdsMustMatchTheClasses() {
    assertFailsWith("thresholds has 2 values but labelCol 'label' has 10 classes",
        () -> classifier().setThresholds(new double[] {0.5, 0.5}).fit(Digits.load(LocalSpark.session())));
  }
}
