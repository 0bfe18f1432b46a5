package io.neuralake.transformers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.neuralake.data.TensorShape;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.SparkException;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SequenceAssemblerTest {

  private static final StructType VECTOR_STEPS = new StructType()
      .add("steps", DataTypes.createArrayType(SQLDataTypes.VectorType()), true);

  private static Dataset<Row> frame(StructType schema, Row... rows) {
    SparkSession spark = LocalSpark.session();
    return spark.createDataFrame(List.of(rows), schema);
  }

  private static Row steps(Vector... vectors) {
    return RowFactory.create(List.of(vectors));
  }

  @Test
  void flattensStepByStepAndRecordsTheShape() {
    Dataset<Row> out = new SequenceAssembler().setInputCol("steps").transform(frame(VECTOR_STEPS,
        steps(Vectors.dense(1, 2), Vectors.dense(3, 4), Vectors.dense(5, 6)),
        steps(Vectors.dense(7, 8), Vectors.sparse(2, new int[] {1}, new double[] {9}), Vectors.dense(0, 1))));
    List<Row> rows = out.select("features").collectAsList();
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, rows.get(0).<Vector>getAs(0).toArray());
    assertArrayEquals(new double[] {7, 8, 0, 9, 0, 1}, rows.get(1).<Vector>getAs(0).toArray());
    assertArrayEquals(new long[] {3, 2}, TensorShape.of(out.schema().apply("features")).orElseThrow());
    assertEquals(6, AttributeGroup.fromStructField(out.schema().apply("features")).size());
  }

  @Test
  void scalarStepsBecomeOneFeaturePerStep() {
    StructType schema = new StructType().add("values", DataTypes.createArrayType(DataTypes.DoubleType), true);
    Dataset<Row> out = new SequenceAssembler().setInputCol("values").setOutputCol("x")
        .transform(frame(schema, RowFactory.create(List.of(0.5, 1.5, 2.5, 3.5))));
    assertArrayEquals(new long[] {4, 1}, TensorShape.of(out.schema().apply("x")).orElseThrow());
    assertArrayEquals(new double[] {0.5, 1.5, 2.5, 3.5}, out.first().<Vector>getAs("x").toArray());
  }

  @Test
  void raggedSequencesFailWithTheirLengths() {
    Dataset<Row> ragged = frame(VECTOR_STEPS, steps(Vectors.dense(1), Vectors.dense(2)), steps(Vectors.dense(3)));
    SparkException e = assertThrows(SparkException.class,
        () -> new SequenceAssembler().setInputCol("steps").transform(ragged).collect());
    assertTrue(String.valueOf(e.getCause()).contains("holds a sequence of 1 steps but the first row has 2; pad or "
        + "truncate"), String.valueOf(e.getCause()));
  }

  @Test
  void wrongColumnTypesAreNamed() {
    StructType strings = new StructType().add("words", DataTypes.StringType);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SequenceAssembler().setInputCol("words").transformSchema(strings));
    assertTrue(e.getMessage().contains("inputCol 'words' must be array<vector> or array<double> but is string"),
        e.getMessage());
  }

  @Test
  void savesAndLoadsInsideAPipeline(@TempDir Path dir) throws Exception {
    Dataset<Row> data = frame(VECTOR_STEPS, steps(Vectors.dense(1, 2), Vectors.dense(3, 4)));
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
        new SequenceAssembler().setInputCol("steps").setOutputCol("flat")}).fit(data);
    String path = dir.resolve("pipeline").toString();
    model.save(path);
    Dataset<Row> out = PipelineModel.load(path).transform(data);
    assertArrayEquals(new double[] {1, 2, 3, 4}, out.first().<Vector>getAs("flat").toArray());
  }
}
