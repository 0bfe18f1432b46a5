package io.neuralake.updaters;

import io.neuralake.data.OffHeapFloats;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;

/**
 * Applies Adam with a Java loop that the JIT compiles to vector instructions. libnd4j's
 * {@code adam_updater} op, which DL4J's {@link AdamUpdater} calls, takes its square roots and
 * divisions one element at a time: about 2.5 ms per step for 235k parameters on one core, against
 * 0.4 ms for this loop, with bit-identical results (the same float arithmetic in the same order).
 * Arrays that are not contiguous host floats (GPU, double precision) go to the op.
 */
final class VectorizedAdamUpdater extends AdamUpdater {

  /** Values per pass: three chunks of this size stay in a core's L2 cache. */
  private static final int CHUNK = 16_384;

  private final float[] gradientChunk = new float[CHUNK];
  private final float[] mChunk = new float[CHUNK];
  private final float[] vChunk = new float[CHUNK];

  VectorizedAdamUpdater(VectorizedAdam config) {
    super(config);
  }

  @Override
  public void applyUpdater(INDArray gradient, int iteration, int epoch) {
    INDArray m = getM();
    INDArray v = getV();
    if (m == null || v == null || gradient.length() != v.length() || !OffHeapFloats.isFlat(gradient)
        || !OffHeapFloats.isFlat(m) || !OffHeapFloats.isFlat(v)) {
      super.applyUpdater(gradient, iteration, epoch);
      return;
    }
    // As libnd4j's adam_updater: the step size in float, from the iteration counted from 1.
    float beta1 = (float) getConfig().getBeta1();
    float beta2 = (float) getConfig().getBeta2();
    float epsilon = (float) getConfig().getEpsilon();
    float learningRate = (float) getConfig().getLearningRate(iteration, epoch);
    float beta1T = (float) Math.pow(beta1, iteration + 1);
    float beta2T = (float) Math.pow(beta2, iteration + 1);
    float step = learningRate * (float) Math.sqrt(1f - beta2T) / (1f - beta1T);
    if (Float.isNaN(step) || Float.isInfinite(step) || step == 0) {
      step = epsilon;
    }
    long length = gradient.length();
    FloatPointer gradientValues = OffHeapFloats.pointer(gradient);
    FloatPointer mValues = OffHeapFloats.pointer(m);
    FloatPointer vValues = OffHeapFloats.pointer(v);
    for (long from = 0; from < length; from += CHUNK) {
      int count = (int) Math.min(CHUNK, length - from);
      gradientValues.position(from).get(gradientChunk, 0, count);
      mValues.position(from).get(mChunk, 0, count);
      vValues.position(from).get(vChunk, 0, count);
      update(count, beta1, beta2, epsilon, step);
      gradientValues.position(from).put(gradientChunk, 0, count);
      mValues.position(from).put(mChunk, 0, count);
      vValues.position(from).put(vChunk, 0, count);
    }
  }

  private void update(int count, float beta1, float beta2, float epsilon, float step) {
    float[] g = gradientChunk;
    float[] ms = mChunk;
    float[] vs = vChunk;
    for (int i = 0; i < count; i++) {
      float gradientValue = g[i];
      float mValue = beta1 * ms[i] + gradientValue * (1 - beta1);
      float vValue = beta2 * vs[i] + gradientValue * gradientValue * (1 - beta2);
      ms[i] = mValue;
      vs[i] = vValue;
      g[i] = mValue * step / ((float) Math.sqrt(vValue) + epsilon);
    }
  }
}
