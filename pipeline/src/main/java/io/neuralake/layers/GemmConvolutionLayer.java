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
 * backprop, and applies ReLU in the same Java loops. Large batches (inference on thousands of
 * rows) go through in chunks of images, so the column matrix stays within 16 MB; their backprop
 * copies each chunk's columns again.
 *
 * <p>Float arrays in host memory, channels-first, undilated: anything else (double precision, the
 * GPU backend with its cuDNN helper, NHWC, dilation) runs DL4J's own code.
 */
final class GemmConvolutionLayer extends ConvolutionLayer {

  /** Column-matrix values per chunk of images. */
  private static final long CHUNK_VALUES = 1L << 22;
  private static final int COLUMNS = 0;
  private static final int OUTPUTS = 1;
  private static final int DELTAS = 2;
  private static final int COLUMN_GRADIENTS = 3;

  private final DataBuffer[] offHeap = new DataBuffer[4];
  private float[] images = new float[0];
  private float[] columns = new float[0];
  private float[] filterMajor = new float[0];
  private float[] batchMajor = new float[0];
  /** The whole batch's pre-activations, from a training forward pass. */
  private float[] preActivations = new float[0];
  /** The input whose pre-activations the buffers hold, from a training forward pass. */
  private INDArray forwardInput;
  /** Whether the off-heap column matrix holds the columns of all of {@link #forwardInput}. */
  private boolean columnsKept;

  GemmConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  @Override
  protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.preOutput(training, forBackprop, workspaceMgr);
    }
    return new Pair<>(forward(training, false, ArrayType.ACTIVATIONS, workspaceMgr), null);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.activate(training, workspaceMgr);
    }
    assertInputSet(false);
    applyDropOutIfNecessary(training, workspaceMgr);
    IActivation activation = layerConf().getActivationFn();
    boolean relu = isPlainRelu(activation);
    INDArray output = forward(training, relu, ArrayType.ACTIVATIONS, workspaceMgr);
    return relu || activation instanceof ActivationIdentity ? output : activation.getActivation(output, training);
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    if (!handlesHere()) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    assertInputSet(true);
    if (forwardInput != input) {
      forward(true, false, ArrayType.BP_WORKING_MEM, workspaceMgr);
    }
    boolean kept = columnsKept;
    forwardInput = null;
    columnsKept = false;
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
    WindowGeometry whole = geometry();
    int filters = filters();
    int area = whole.outHeight() * whole.outWidth();
    IActivation activation = layerConf().getActivationFn();
    boolean relu = isPlainRelu(activation);
    INDArray deltaSource = OffHeapFloats.flat(relu ? epsilon : activation.backprop(
        preActivationArray(whole, workspaceMgr), epsilon).getFirst());
    INDArray source = OffHeapFloats.flat(input);
    INDArray weights2d = weights.reshape('c', filters, whole.rows());
    INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
    INDArray weightGradient2d = weightGradient.reshape('c', filters, whole.rows());
    INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
        input.shape(), 'c');
    float[] biasGradient = new float[filters];
    float[] chunkSums = new float[filters];
    int chunk = WindowGeometry.imagesPerChunk((long) whole.rows() * area, CHUNK_VALUES);
    for (int start = 0; start < whole.batch(); start += chunk) {
      WindowGeometry part = whole.withBatch(Math.min(chunk, whole.batch() - start));
      int length = filters * part.columns();
      int from = start * filters * area;
      batchMajor = WindowGeometry.grow(batchMajor, length);
      OffHeapFloats.read(deltaSource, from, batchMajor, 0, length);
      if (relu) {
        for (int i = 0; i < length; i++) {
          // Keeps the gradient where the pre-activation is above 0, by the sign of 0 - z: a branch
          // would mispredict, as about half the units are active.
          int keep = Float.floatToRawIntBits(0f - preActivations[from + i]) >> 31;
          batchMajor[i] = Float.intBitsToFloat(Float.floatToRawIntBits(batchMajor[i]) & keep);
        }
      }
      filterMajor = WindowGeometry.grow(filterMajor, length);
      part.toFilterMajor(batchMajor, filters, filterMajor, chunkSums);
      for (int f = 0; f < filters; f++) {
        biasGradient[f] += chunkSums[f];
      }
      INDArray deltas = offHeap(DELTAS, filters, part.columns());
      OffHeapFloats.write(filterMajor, 0, length, deltas, 0);
      INDArray columnMatrix = kept ? offHeap(COLUMNS, part.rows(), part.columns()) : columnsOf(part, source, start);
      Nd4j.gemm(deltas, columnMatrix, weightGradient2d, false, true, 1.0, start == 0 ? 0.0 : 1.0);
      INDArray columnGradients = offHeap(COLUMN_GRADIENTS, part.rows(), part.columns());
      Nd4j.gemm(weights2d, deltas, columnGradients, true, false, 1.0, 0.0);
      columns = WindowGeometry.grow(columns, part.rows() * part.columns());
      OffHeapFloats.read(columnGradients, 0, columns, 0, part.rows() * part.columns());
      images = WindowGeometry.grow(images, part.inputLength());
      part.col2im(columns, images);
      OffHeapFloats.write(images, 0, part.inputLength(), inputGradient,
          (long) start * part.inputLength() / part.batch());
    }

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
   * The pre-activations of the current input, or their ReLU, in a new array of type {@code type}.
   * In training, they are also kept in {@link #preActivations}, and the column matrix is kept
   * where the batch is one chunk.
   */
  private INDArray forward(boolean training, boolean relu, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    validateInputRank();
    INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
    validateInputDepth(weights.size(1));
    WindowGeometry whole = geometry();
    int filters = filters();
    int area = whole.outHeight() * whole.outWidth();
    INDArray source = OffHeapFloats.flat(input);
    INDArray weights2d = weights.reshape('c', filters, whole.rows());
    float[] bias = hasBias()
        ? OffHeapFloats.of(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)) : null;
    INDArray output = workspaceMgr.createUninitialized(type, DataType.FLOAT,
        new long[] {whole.batch(), filters, whole.outHeight(), whole.outWidth()}, 'c');
    if (training) {
      preActivations = WindowGeometry.grow(preActivations, Math.toIntExact((long) whole.batch() * filters * area));
    }
    int chunk = WindowGeometry.imagesPerChunk((long) whole.rows() * area, CHUNK_VALUES);
    for (int start = 0; start < whole.batch(); start += chunk) {
      WindowGeometry part = whole.withBatch(Math.min(chunk, whole.batch() - start));
      int length = filters * part.columns();
      long from = (long) start * filters * area;
      INDArray outputs = offHeap(OUTPUTS, filters, part.columns());
      Nd4j.gemm(weights2d, columnsOf(part, source, start), outputs, false, false, 1.0, 0.0);
      filterMajor = WindowGeometry.grow(filterMajor, length);
      OffHeapFloats.read(outputs, 0, filterMajor, 0, length);
      batchMajor = WindowGeometry.grow(batchMajor, length);
      part.toBatchMajor(filterMajor, bias, filters, batchMajor);
      if (training) {
        System.arraycopy(batchMajor, 0, preActivations, (int) from, length);
      }
      if (relu) {
        for (int i = 0; i < length; i++) {
          batchMajor[i] = Math.max(batchMajor[i], 0f);
        }
      }
      OffHeapFloats.write(batchMajor, 0, length, output, from);
    }
    forwardInput = training ? input : null;
    columnsKept = training && chunk >= whole.batch();
    return output;
  }

  /** The column matrix of {@code part}'s images, which start at image {@code start} of flat {@code source}. */
  private INDArray columnsOf(WindowGeometry part, INDArray source, int start) {
    int length = part.rows() * part.columns();
    images = WindowGeometry.grow(images, part.inputLength());
    OffHeapFloats.read(source, (long) start * part.inputLength() / part.batch(), images, 0, part.inputLength());
    columns = WindowGeometry.grow(columns, length);
    part.im2col(images, columns);
    INDArray matrix = offHeap(COLUMNS, part.rows(), part.columns());
    OffHeapFloats.write(columns, 0, length, matrix, 0);
    return matrix;
  }

  /** The kept pre-activations in a new working array, for activations other than ReLU. */
  private INDArray preActivationArray(WindowGeometry whole, LayerWorkspaceMgr workspaceMgr) {
    INDArray z = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
        new long[] {whole.batch(), filters(), whole.outHeight(), whole.outWidth()}, 'c');
    OffHeapFloats.write(preActivations, 0, Math.toIntExact(z.length()), z, 0);
    return z;
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
}
