package io.neuralake.layers;

import java.util.Arrays;

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
 * winner for backprop, where libnd4j's {@code maxpool2d_bp} searches every window again. Large
 * batches go through in chunks of images. Float arrays in host memory, channels-first, undilated
 * max pooling; anything else runs DL4J's code.
 */
final class VectorizedPoolingLayer extends SubsamplingLayer {

  /** Input values per chunk of images. */
  private static final long CHUNK_VALUES = 1L << 22;

  private float[] images = new float[0];
  private float[] pooled = new float[0];
  /** Each output's winner within its chunk, for the whole batch of a training forward pass. */
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
    WindowGeometry whole = geometry();
    INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
        new long[] {whole.batch(), whole.channels(), whole.outHeight(), whole.outWidth()}, 'c');
    INDArray source = OffHeapFloats.flat(input);
    int chunk = chunk(whole);
    for (int start = 0; start < whole.batch(); start += chunk) {
      WindowGeometry part = whole.withBatch(Math.min(chunk, whole.batch() - start));
      images = WindowGeometry.grow(images, part.inputLength());
      OffHeapFloats.read(source, (long) start * part.inputLength() / part.batch(), images, 0, part.inputLength());
      pooled = WindowGeometry.grow(pooled, part.pooledLength());
      int winnersFrom = training ? start * part.pooledLength() / part.batch() : 0;
      if (winners.length < winnersFrom + part.pooledLength()) {
        winners = Arrays.copyOf(winners, training ? whole.pooledLength() : part.pooledLength());
      }
      part.maxPool(images, pooled, winners, winnersFrom);
      OffHeapFloats.write(pooled, 0, part.pooledLength(), output, (long) start * part.pooledLength() / part.batch());
    }
    forwardInput = training ? input : null;
    return output;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    if (forwardInput != input) {
      activate(true, workspaceMgr);
    }
    forwardInput = null;
    WindowGeometry whole = geometry();
    INDArray gradients = OffHeapFloats.flat(epsilon);
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        input.shape(), 'c');
    int chunk = chunk(whole);
    for (int start = 0; start < whole.batch(); start += chunk) {
      WindowGeometry part = whole.withBatch(Math.min(chunk, whole.batch() - start));
      int outFrom = start * part.pooledLength() / part.batch();
      pooled = WindowGeometry.grow(pooled, part.pooledLength());
      OffHeapFloats.read(gradients, outFrom, pooled, 0, part.pooledLength());
      images = WindowGeometry.grow(images, part.inputLength());
      part.maxPoolBackprop(pooled, winners, outFrom, images);
      OffHeapFloats.write(images, 0, part.inputLength(), inputGradient,
          (long) start * part.inputLength() / part.batch());
    }
    return new Pair<>(new DefaultGradient(), inputGradient);
  }

  /** Whether this layer computes here, rather than in DL4J's code. */
  boolean handlesHere() {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer layer = layerConf();
    return helper == null && dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
        && layer.getPoolingType() == PoolingType.MAX && layer.getCnn2dDataFormat() == CNN2DFormat.NCHW
        && layer.getDilation()[0] == 1 && layer.getDilation()[1] == 1;
  }

  private static int chunk(WindowGeometry whole) {
    return WindowGeometry.imagesPerChunk((long) whole.inputLength() / whole.batch(), CHUNK_VALUES);
  }

  private WindowGeometry geometry() {
    org.deeplearning4j.nn.conf.layers.SubsamplingLayer layer = layerConf();
    return WindowGeometry.of(input, layer.getKernelSize(), layer.getStride(), layer.getPadding(), convolutionMode);
  }
}
