package io.neuralake.spec;

import java.util.Map;

import io.neuralake.layers.ForwardCachingDense;
import io.neuralake.layers.GemmConvolution;
import io.neuralake.layers.VectorizedPooling;
import io.neuralake.updaters.VectorizedAdam;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The DL4J classes behind Neuralake's faster ones, which keep their parents' fields and arithmetic:
 * for comparisons with plain DL4J, and for checking that the two agree.
 */
public final class PlainDl4j {

  private static final Map<Class<?>, Class<?>> PARENTS = Map.of(VectorizedAdam.class, Adam.class,
      GemmConvolution.class, ConvolutionLayer.class, VectorizedPooling.class, SubsamplingLayer.class,
      ForwardCachingDense.class, DenseLayer.class);

  private PlainDl4j() {}

  /** {@code configuration} with DL4J's own class wherever it has one of Neuralake's faster ones. */
  public static MultiLayerConfiguration of(MultiLayerConfiguration configuration) {
    String json = configuration.toJson();
    for (Map.Entry<Class<?>, Class<?>> parent : PARENTS.entrySet()) {
      json = json.replace("\"" + parent.getKey().getName() + "\"", "\"" + parent.getValue().getName() + "\"");
    }
    return MultiLayerConfiguration.fromJson(json);
  }
}
