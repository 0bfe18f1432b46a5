package io.neuralake.layers;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D window sliding over a batch of channels-first images (a convolution's kernel or a pooling
 * window), with the loops that convolution and pooling run over it.
 *
 * <p>A convolution becomes one matrix product through a column matrix with one row per (channel,
 * kernel row, kernel column) and one column per (image, output row, output column):
 * {@code outputs[filters, batch × outH × outW] = weights[filters, rows] × columns[rows, batch × outH × outW]}.
 * Its copies run over contiguous runs of a row, which the JIT turns into vector moves.
 *
 * @param batch images in the batch
 * @param channels input channels
 * @param height input height
 * @param width input width
 * @param kernelHeight kernel height
 * @param kernelWidth kernel width
 * @param strideY vertical step between windows
 * @param strideX horizontal step between windows
 * @param padTop zero rows above the image
 * @param padLeft zero columns left of the image
 * @param outHeight output height
 * @param outWidth output width
 */
record WindowGeometry(int batch, int channels, int height, int width, int kernelHeight, int kernelWidth,
                           int strideY, int strideX, int padTop, int padLeft, int outHeight, int outWidth) {

  private static final int NO_WINNER = -1;

  /**
   * The windows of {@code kernel}, {@code stride} and {@code padding} over {@code input} (batch,
   * channels, height, width), placed as DL4J places them: in {@link ConvolutionMode#Same} the
   * padding is computed, split with the smaller half on the top and left.
   */
  static WindowGeometry of(INDArray input, int[] kernel, int[] stride, int[] padding, ConvolutionMode mode) {
    int height = (int) input.size(2);
    int width = (int) input.size(3);
    int[] dilation = {1, 1};
    int[] outSize;
    int[] topLeft;
    if (mode == ConvolutionMode.Same) {
      outSize = ConvolutionUtils.getOutputSize(input, kernel, stride, null, mode, dilation, CNN2DFormat.NCHW);
      topLeft = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[] {height, width}, kernel, stride,
          dilation);
    } else {
      outSize = ConvolutionUtils.getOutputSize(input, kernel, stride, padding, mode, dilation, CNN2DFormat.NCHW);
      topLeft = padding;
    }
    return new WindowGeometry((int) input.size(0), (int) input.size(1), height, width, kernel[0], kernel[1],
        stride[0], stride[1], topLeft[0], topLeft[1], outSize[0], outSize[1]);
  }

  /** The same windows over a batch of {@code images} images. */
  WindowGeometry withBatch(int images) {
    return new WindowGeometry(images, channels, height, width, kernelHeight, kernelWidth, strideY, strideX, padTop,
        padLeft, outHeight, outWidth);
  }

  /** How many images to take at a time so that {@code perImage} values each stay within {@code limit}; at least one. */
  static int imagesPerChunk(long perImage, long limit) {
    return (int) Math.max(1, limit / perImage);
  }

  /** Values in the output: batch × channels × output height × output width, for as many channels as the input. */
  int pooledLength() {
    return batch * channels * outHeight * outWidth;
  }

  /** Rows of the column matrix: channels × kernel height × kernel width. */
  int rows() {
    return channels * kernelHeight * kernelWidth;
  }

  /** Columns of the column matrix: batch × output height × output width. */
  int columns() {
    return batch * outHeight * outWidth;
  }

  /** Values in the input batch. */
  int inputLength() {
    return batch * channels * height * width;
  }

  /**
   * Fills {@code columns} ({@link #rows()} × {@link #columns()}) from {@code images} (batch, channels,
   * height, width).
   */
  void im2col(float[] images, float[] columns) {
    int columnCount = columns();
    int outArea = outHeight * outWidth;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < kernelHeight; ky++) {
        for (int kx = 0; kx < kernelWidth; kx++) {
          int rowStart = ((c * kernelHeight + ky) * kernelWidth + kx) * columnCount;
          int firstX = firstInside(kx - padLeft, strideX);
          int endX = endInside(kx - padLeft, strideX, width, outWidth);
          for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < outHeight; oy++) {
              int target = rowStart + n * outArea + oy * outWidth;
              int y = oy * strideY + ky - padTop;
              if (y < 0 || y >= height || firstX >= endX) {
                Arrays.fill(columns, target, target + outWidth, 0f);
                continue;
              }
              int source = ((n * channels + c) * height + y) * width + kx - padLeft;
              Arrays.fill(columns, target, target + firstX, 0f);
              if (strideX == 1) {
                System.arraycopy(images, source + firstX, columns, target + firstX, endX - firstX);
              } else {
                for (int ox = firstX; ox < endX; ox++) {
                  columns[target + ox] = images[source + ox * strideX];
                }
              }
              Arrays.fill(columns, target + endX, target + outWidth, 0f);
            }
          }
        }
      }
    }
  }

  /** Sums {@code columns} back into {@code images}, the adjoint of {@link #im2col}; {@code images} is overwritten. */
  void col2im(float[] columns, float[] images) {
    Arrays.fill(images, 0, inputLength(), 0f);
    int columnCount = columns();
    int outArea = outHeight * outWidth;
    for (int c = 0; c < channels; c++) {
      for (int ky = 0; ky < kernelHeight; ky++) {
        for (int kx = 0; kx < kernelWidth; kx++) {
          int rowStart = ((c * kernelHeight + ky) * kernelWidth + kx) * columnCount;
          int firstX = firstInside(kx - padLeft, strideX);
          int endX = endInside(kx - padLeft, strideX, width, outWidth);
          for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < outHeight; oy++) {
              int y = oy * strideY + ky - padTop;
              if (y < 0 || y >= height) {
                continue;
              }
              int from = rowStart + n * outArea + oy * outWidth;
              int target = ((n * channels + c) * height + y) * width + kx - padLeft;
              if (strideX == 1) {
                for (int ox = firstX; ox < endX; ox++) {
                  images[target + ox] += columns[from + ox];
                }
              } else {
                for (int ox = firstX; ox < endX; ox++) {
                  images[target + ox * strideX] += columns[from + ox];
                }
              }
            }
          }
        }
      }
    }
  }

  /**
   * Rearranges {@code filterMajor} (filters, batch, area) into {@code batchMajor} (batch, filters, area),
   * adding each filter's bias.
   */
  void toBatchMajor(float[] filterMajor, float[] bias, int filters, float[] batchMajor) {
    int area = outHeight * outWidth;
    for (int f = 0; f < filters; f++) {
      float b = bias == null ? 0f : bias[f];
      for (int n = 0; n < batch; n++) {
        int from = (f * batch + n) * area;
        int to = (n * filters + f) * area;
        for (int i = 0; i < area; i++) {
          batchMajor[to + i] = filterMajor[from + i] + b;
        }
      }
    }
  }

  /**
   * Rearranges {@code batchMajor} (batch, filters, area) into {@code filterMajor} (filters, batch, area),
   * and writes each filter's sum into {@code sums}.
   */
  void toFilterMajor(float[] batchMajor, int filters, float[] filterMajor, float[] sums) {
    int area = outHeight * outWidth;
    for (int f = 0; f < filters; f++) {
      float sum = 0f;
      for (int n = 0; n < batch; n++) {
        int from = (n * filters + f) * area;
        int to = (f * batch + n) * area;
        for (int i = 0; i < area; i++) {
          float value = batchMajor[from + i];
          filterMajor[to + i] = value;
          sum += value;
        }
      }
      sums[f] = sum;
    }
  }

  /**
   * Max pooling of {@code images} into {@code pooled} (batch, channels, outHeight, outWidth); each
   * output's index in {@code images} goes into {@code winners}, from {@code winnersFrom} on. Padding
   * never wins; the first maximum in a window does, as in libnd4j. A window wholly in the padding
   * gives 0 and no winner.
   */
  void maxPool(float[] images, float[] pooled, int[] winners, int winnersFrom) {
    Arrays.fill(pooled, 0, pooledLength(), Float.NEGATIVE_INFINITY);
    Arrays.fill(winners, winnersFrom, winnersFrom + pooledLength(), NO_WINNER);
    int planeSize = height * width;
    // Kernel cells outside, output columns inside: loops over a 2×2 window cost more than the work.
    for (int plane = 0; plane < batch * channels; plane++) {
      for (int oy = 0; oy < outHeight; oy++) {
        int outRow = (plane * outHeight + oy) * outWidth;
        int winnerRow = winnersFrom + outRow;
        for (int ky = 0; ky < kernelHeight; ky++) {
          int y = oy * strideY + ky - padTop;
          if (y < 0 || y >= height) {
            continue;
          }
          for (int kx = 0; kx < kernelWidth; kx++) {
            int source = plane * planeSize + y * width + kx - padLeft;
            int endX = endInside(kx - padLeft, strideX, width, outWidth);
            for (int ox = firstInside(kx - padLeft, strideX); ox < endX; ox++) {
              // Arithmetic rather than a branch, which mispredicts: which cell wins is as good as random.
              // The sign of best - value says whether value is larger; -infinity loses to any number.
              int cell = source + ox * strideX;
              float value = images[cell];
              float best = pooled[outRow + ox];
              int better = Float.floatToRawIntBits(best - value) >>> 31;
              winners[winnerRow + ox] += better * (cell - winners[winnerRow + ox]);
              pooled[outRow + ox] = Math.max(best, value);
            }
          }
        }
        for (int ox = 0; ox < outWidth; ox++) {
          if (winners[winnerRow + ox] == NO_WINNER) {
            pooled[outRow + ox] = 0f;
          }
        }
      }
    }
  }

  /**
   * Routes each output's gradient to its window's winner, read from {@code winners} from
   * {@code winnersFrom} on; {@code images} is overwritten.
   */
  void maxPoolBackprop(float[] pooledGradients, int[] winners, int winnersFrom, float[] images) {
    Arrays.fill(images, 0, inputLength(), 0f);
    for (int out = 0; out < pooledLength(); out++) {
      int winner = winners[winnersFrom + out];
      if (winner != NO_WINNER) {
        images[winner] += pooledGradients[out];
      }
    }
  }

  /** {@code buffer} where it holds {@code length} values, else a new array that does: the runtimes' reused buffers. */
  static float[] grow(float[] buffer, int length) {
    return buffer.length >= length ? buffer : new float[length];
  }

  /** The first output column whose input column {@code ox × stride + offset} is inside the image. */
  private static int firstInside(int offset, int stride) {
    return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  }

  /** One past the last output column whose input column is inside an image {@code width} wide. */
  private static int endInside(int offset, int stride, int width, int outWidth) {
    int last = width - 1 - offset;
    return last < 0 ? 0 : Math.min(outWidth, last / stride + 1);
  }
}
