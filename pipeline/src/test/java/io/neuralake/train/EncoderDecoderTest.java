package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.neuralake.data.Batch;
import io.neuralake.data.BatchMaker;
import io.neuralake.spec.Hyperparameters;
import io.neuralake.spec.NetworkSpec;
import io.neuralake.spec.Optimizer;
import io.neuralake.spec.OutputHead;
import io.neuralake.spec.WeightInitScheme;
import io.neuralake.testdata.FashionMnist;
import io.neuralake.testing.LocalSpark;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An encoder–decoder CNN (convolution and pooling down to 7×7, transposed convolution back up to
 * 28×28) trained on two workers reconstructs held-out Fashion-MNIST images.
 */
class EncoderDecoderTest {

  private static final long[] IMAGE = {1, 28, 28};
  /** Stated bound on the held-out per-pixel MSE (pixels in [0, 1]). */
  private static final double MSE_BOUND = 0.02;

  @Test
  void reconstructsHeldOutImages() {
    SparkSession spark = LocalSpark.session();
    BatchMaker maker = BatchMaker.reconstruction("features", 32);
    JavaRDD<Batch> train = maker.batches(FashionMnist.load(spark, FashionMnist.Split.TRAIN, 3000), 2, 20,
        FashionMnist.PIXELS, 7);
    List<Batch> test = maker.batches(FashionMnist.load(spark, FashionMnist.Split.TEST, 1000), 1,
        Integer.MAX_VALUE, FashionMnist.PIXELS, 0).collect();
    NetworkSpec autoencoder = NetworkSpec.parse("conv(16, 3, padding=same) -> pool(max, 2) -> conv(8, 3, padding=same)"
        + " -> pool(max, 2) -> deconv(8, 2, stride=2) -> deconv(16, 2, stride=2) -> conv(1, 3, padding=same, sigmoid)");
    OutputHead head = OutputHead.reconstruction(FashionMnist.PIXELS);
    MultiLayerNetwork initial = new MultiLayerNetwork(autoencoder.toDl4j(IMAGE, head,
        new Hyperparameters(Optimizer.ADAM, 0.003, 0.9, 0, 0, WeightInitScheme.XAVIER, 3)));
    initial.init();
    System.out.println(autoencoder.summary(IMAGE, head));

    MultiLayerNetwork trained = new ParameterAveragingTrainer(new TrainingPlan(5, 2, 0))
        .fit(NetworkState.of(initial), train, null, ValidationMetric.RMSE).network().toNetwork();

    double squaredError = 0;
    double meanImageError = 0;
    long values = 0;
    INDArray meanImage = null;
    long images = 0;
    for (Batch batch : test) {
      INDArray sum = batch.toDataSet().getFeatures().sum(0);
      meanImage = meanImage == null ? sum : meanImage.addi(sum);
      images += batch.rows();
    }
    meanImage.divi(images);
    for (Batch batch : test) {
      INDArray pixels = batch.toDataSet().getFeatures();
      INDArray error = trained.output(pixels).sub(pixels);
      squaredError += error.mul(error).sumNumber().doubleValue();
      INDArray baseline = pixels.subRowVector(meanImage);
      meanImageError += baseline.mul(baseline).sumNumber().doubleValue();
      values += pixels.length();
    }
    double mse = squaredError / values;
    double meanImageMse = meanImageError / values;
    System.out.printf("Fashion-MNIST reconstruction, 3000 training images, 5 epochs: held-out MSE %.5f "
        + "(mean image %.5f)%n", mse, meanImageMse);
    assertTrue(mse < MSE_BOUND, "held-out MSE " + mse);
    assertTrue(mse < meanImageMse / 4, "MSE " + mse + " vs predicting the mean image " + meanImageMse);
  }
}
