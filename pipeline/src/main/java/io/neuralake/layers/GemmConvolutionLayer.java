package io.neuralake.layers;

import io.neuralake.data.OffHeapFloats;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of {@link GemmConvolution}: DL4J's convolution arithmetic, with the image-to-column
 * copies done in Java over contiguous rows, one GEMM per batch for each of the forward pass, the
 * weight gradient and the input gradient, and buffers kept across batches. DL4J's own layer spends
 * most of its time in strided element-by-element fills (im2col) and computes the forward pass
 * again during backprop; this layer keeps the forward pass's columns and pre-activations for
 * backprop, and applies ReLU in the same Java loops.
 *
 * <p>Float arrays in host memory, channels-first, undilated: anything else (double precision, the
 * GPU backend with its cuDNN helper, NHWC, dilation) runs DL4J's own code.
 */
final class GemmConvolutionLayer extends ConvolutionLayer {

  private static final int COLUMNS = 0;
  private static final int OUTPUTS = 1;
  private static final int DELTAS = 2;
  private static final int COLUMN_GRADIENTS = 3;

  private final DataBuffer[] offHeap = new DataBuffer[4];
  private float[] images = new float[0];
  private float[] columns = new float[0];
  private float[] filterMajor = new float[0];
  private float[] batchMajor = new float[0];
  private float[] preActivations = new float[0];
  /** The input whose columns and pre-activations the buffers hold, from a training forward pass. */
  private INDArray forwardInput;

  GemmConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.preOutput(training, forBackprop, workspaceMgr);
    }
    WindowGeometry geometry = forward(training, workspaceMgr);
    return new Pair<>(outputArray(geometry, ArrayType.ACTIVATIONS, workspaceMgr, false), null);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    applyDropOutIfNecessary(training, workspaceMgr);
    WindowGeometry geometry = forward(training, workspaceMgr);
    IActivation activation = layerConf().getActivationFn();
    boolean relu = isPlainRelu(activation);
    INDArray output = outputArray(geometry, ArrayType.ACTIVATIONS, workspaceMgr, relu);
    return relu || activation instanceof ActivationIdentity ? output : activation.getActivation(output, training);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    WindowGeometry geometry = forwardInput == input ? geometry() : forward(true, workspaceMgr);
    forwardInput = null;
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
    int filters = filters();
    int length = filters * geometry.columns();
    batchMajor = grow(batchMajor, length);
    IActivation activation = layerConf().getActivationFn();
    if (isPlainRelu(activation)) {
      OffHeapFloats.into(epsilon, batchMajor);
      for (int i = 0; i < length; i++) {
        // Keeps the gradient where the pre-activation is above 0, by the sign of 0 - z: a branch
        // would mispredict, as about half the units are active.
        int keep = Float.floatToRawIntBits(0f - preActivations[i]) >> 31;
        batchMajor[i] = Float.intBitsToFloat(Float.floatToRawIntBits(batchMajor[i]) & keep);
      }
    } else {
      INDArray z = outputArray(geometry, ArrayType.BP_WORKING_MEM, workspaceMgr, false);
      OffHeapFloats.into(activation.backprop(z, epsilon).getFirst(), batchMajor);
    }
    float[] biasGradient = new float[filters];
    geometry.toFilterMajor(batchMajor, filters, filterMajor, biasGradient);
    INDArray deltas = offHeap(DELTAS, filters, geometry.columns());
    OffHeapFloats.write(filterMajor, 0, length, deltas, 0);

    INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
    Nd4j.gemm(deltas, offHeap(COLUMNS, geometry.rows(), geometry.columns()),
        weightGradient.reshape('c', filters, geometry.rows()), false, true, 1.0, 0.0);
    INDArray columnGradients = offHeap(COLUMN_GRADIENTS, geometry.rows(), geometry.columns());
    Nd4j.gemm(weights.reshape('c', filters, geometry.rows()), deltas, columnGradients, true, false, 1.0, 0.0);
    OffHeapFloats.read(columnGradients, 0, columns, 0, geometry.rows() * geometry.columns());
    geometry.col2im(columns, images);
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        input.shape(), 'c');
    OffHeapFloats.write(images, 0, geometry.inputLength(), inputGradient, 0);

    Gradient gradient = new DefaultGradient();
    if (hasBias()) {
      INDArray biasView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
      OffHeapFloats.copy(biasGradient, biasView);
      gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasView);
    }
    gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradient, 'c');
    weightNoiseParams.clear();
    return new Pair<>(gradient, backpropDropOutIfPresent(inputGradient));
  }

  /** Whether this layer computes here, rather than in DL4J's code. */
  boolean handlesHere() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer layer = layerConf();
    return helper == null && dataType == DataType.FLOAT && Nd4j.getEnvironment().isCPU()
        && layer.getCnn2dDataFormat() == CNN2DFormat.NCHW && layer.getDilation()[0] == 1
        && layer.getDilation()[1] == 1;
  }

  /** ReLU without a cap, threshold or slope, which the Java loops apply themselves. */
  private static boolean isPlainRelu(IActivation activation) {
    return activation.equals(new ActivationReLU());
  }

  /**
   * Computes the pre-activations of the current input into {@link #preActivations} (batch, filters,
   * outHeight, outWidth), leaving its columns in the off-heap column matrix.
   */
  private WindowGeometry forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    validateInputRank();
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
    validateInputDepth(weights.size(1));
    WindowGeometry geometry = geometry();
    int filters = filters();
    int columnLength = geometry.rows() * geometry.columns();
    images = OffHeapFloats.into(input, grow(images, geometry.inputLength()));
    columns = grow(columns, columnLength);
    geometry.im2col(images, columns);
    INDArray columnMatrix = offHeap(COLUMNS, geometry.rows(), geometry.columns());
    OffHeapFloats.write(columns, 0, columnLength, columnMatrix, 0);
    INDArray outputs = offHeap(OUTPUTS, filters, geometry.columns());
    Nd4j.gemm(weights.reshape('c', filters, geometry.rows()), columnMatrix, outputs, false, false, 1.0, 0.0);
    int length = filters * geometry.columns();
    filterMajor = grow(filterMajor, length);
    OffHeapFloats.read(outputs, 0, filterMajor, 0, length);
    preActivations = grow(preActivations, length);
    float[] bias = hasBias()
        ? OffHeapFloats.of(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)) : null;
    geometry.toBatchMajor(filterMajor, bias, filters, preActivations);
    forwardInput = training ? input : null;
    return geometry;
  }

  /** A new array of type {@code type} holding the pre-activations, or their ReLU. */
  private INDArray outputArray(WindowGeometry geometry, ArrayType type, LayerWorkspaceMgr workspaceMgr, boolean relu) {
    int filters = filters();
    int length = filters * geometry.columns();
    float[] values = preActivations;
    if (relu) {
      values = batchMajor = grow(batchMajor, length);
      for (int i = 0; i < length; i++) {
        values[i] = Math.max(preActivations[i], 0f);
      }
    }
    INDArray output = workspaceMgr.createUninitialized(type, DataType.FLOAT,
        new long[] {geometry.batch(), filters, geometry.outHeight(), geometry.outWidth()}, 'c');
    OffHeapFloats.write(values, 0, length, output, 0);
    return output;
  }

  private WindowGeometry geometry() {
    org.deeplearning4j.nn.conf.layers.ConvolutionLayer layer = layerConf();
    return WindowGeometry.of(input, layer.getKernelSize(), layer.getStride(), layer.getPadding(), convolutionMode);
  }

  private int filters() {
    return (int) layerConf().getNOut();
  }

  /** A {@code rows × columns} matrix over reused off-heap memory, outside any workspace. */
  private INDArray offHeap(int slot, long rows, long columns) {
    long length = rows * columns;
    if (offHeap[slot] == null || offHeap[slot].length() < length) {
      try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        offHeap[slot] = Nd4j.createBuffer(DataType.FLOAT, length, false);
      }
    }
    return Nd4j.create(offHeap[slot], new long[] {rows, columns}, new long[] {columns, 1}, 0, 'c');
  }

  private static float[] grow(float[] buffer, int length) {
    return buffer.length >= length ? buffer : new float[length];
  }
}
