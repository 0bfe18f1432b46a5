package io.neuralake.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link ForwardCachingDense}. DL4J's dense layer computes its pre-activations
 * {@code z = x·W + b} again in backprop: with the forward pass's {@code z} kept (in the activations
 * workspace, which lives as long as the layer's input does), backprop runs two GEMMs instead of
 * three, or one for a layer that needs no input gradient. Weight noise and layer normalization,
 * and a backprop that does not follow this layer's own training forward pass, keep DL4J's code.
 */
final class ForwardCachingDenseLayer extends DenseLayer {

  /** The pre-activations of the last training forward pass, or null. */
  private INDArray preOutput;
  /** The input that {@link #preOutput} was computed from (after dropout). */
  private INDArray preOutputInput;

  ForwardCachingDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private boolean handlesHere() {
    return layerConf().getWeightNoise() == null && !hasLayerNorm();
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    preOutput = null;
    INDArray z = preOutput(training, workspaceMgr);
    if (training && handlesHere()) {
      preOutput = z;
      preOutputInput = input;
      // The activation functions work in place; z must stay as it is for backprop.
      z = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
    }
    INDArray activations = layerConf().getActivationFn().getActivation(z, training);
    if (maskArray != null) {
      applyMask(activations);
    }
    return activations;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    INDArray z = preOutput;
    preOutput = null;
    if (z == null || preOutputInput != input) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
    if (maskArray != null) {
      applyMask(delta);
    }
    Gradient gradient = new DefaultGradient();
    if (hasBias()) {
      INDArray biasGradient = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
      delta.sum(biasGradient, 0);
      gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradient);
    }
    INDArray epsilonNext = null;
    if (((ForwardCachingDense) layerConf()).isInputGradient()) {
      INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
      epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
          new long[] {weights.size(0), delta.size(0)}, 'f');
      epsilonNext = backpropDropOutIfPresent(weights.mmuli(delta.transpose(), epsilonNext).transpose());
    }
    INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    Nd4j.gemm(input.castTo(weightGradient.dataType()), delta, weightGradient, true, false, 1.0, 0.0);
    gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
    return new Pair<>(gradient, epsilonNext);
  }
}
