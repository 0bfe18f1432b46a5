package io.neuralake.layers;

import io.neuralake.data.OffHeapFloats;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link VectorizedPooling}: max pooling as Java loops that remember each window's
 * winner for backprop, where libnd4j's {@code maxpool2d_bp} searches every window again. Float
 * arrays in host memory, channels-first, undilated max pooling; anything else runs DL4J's code.
 */
final class VectorizedPoolingLayer extends SubsamplingLayer {

  private float[] images = new float[0];
  private float[] pooled = new float[0];
  private int[] winners = new int[0];
  /** The input whose winners {@link #winners} holds, from a training forward pass. */
  private INDArray forwardInput;

  VectorizedPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    if (input.rank() != 4) {
      return super.activate(training, workspaceMgr);
    }
    WindowGeometry geometry = forward();
    forwardInput = training ? input : null;
    INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {geometry.batch(), geometry.channels(), geometry.outHeight(), geometry.outWidth()}, 'c');
    OffHeapFloats.write(pooled, 0, geometry.pooledLength(), output, 0);
    return output;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    WindowGeometry geometry = forwardInput == input ? geometry() : forward();
    forwardInput = null;
    OffHeapFloats.into(epsilon, pooled);
    geometry.maxPoolBackprop(pooled, winners, images);
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        input.shape(), 'c');
    OffHeapFloats.write(images, 0, geometry.inputLength(), inputGradient, 0);
    return new Pair<>(new DefaultGradient(), inputGradient);
  }

  /** Whether this layer computes here, rather than in DL4J's code. */
  boolean handlesHere() {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer layer = layerConf();
    return helper == null && dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
        && layer.getPoolingType() == PoolingType.MAX && layer.getCnn2dDataFormat() == CNN2DFormat.NCHW
        && layer.getDilation()[0] == 1 && layer.getDilation()[1] == 1;
  }

  private WindowGeometry forward() {
    WindowGeometry geometry = geometry();
    images = OffHeapFloats.into(input, images.length >= geometry.inputLength() ? images
        : new float[geometry.inputLength()]);
    if (pooled.length < geometry.pooledLength()) {
      pooled = new float[geometry.pooledLength()];
      winners = new int[geometry.pooledLength()];
    }
    geometry.maxPool(images, pooled, winners);
    return geometry;
  }

  private WindowGeometry geometry() {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer layer = layerConf();
    return WindowGeometry.of(input, layer.getKernelSize(), layer.getStride(), layer.getPadding(), convolutionMode);
  }
}
