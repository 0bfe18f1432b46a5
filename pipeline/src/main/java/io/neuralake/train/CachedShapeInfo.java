package io.neuralake.train;

import java.lang.reflect.Field;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.api.shape.options.ArrayType;
import org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J's CPU shape-information cache, reached by every new array. ND4J's CPU backend keeps one native
 * shape buffer per shape, strides, element-wise stride, order and flags, but only for callers that pass
 * the flags; the overload that names a data type and emptiness, which {@code BaseNDArray}'s
 * constructors call, makes a new buffer each time: a native call, a pointer and a deallocator reference
 * for each array, about 19 per step of the bench's MLP. This provider answers that overload from the
 * same cache, with the same shape information; negative element-wise strides, which that cache stores
 * as 0, still go to ND4J. ND4J's CUDA backend caches every shape already.
 */
public final class CachedShapeInfo extends DirectShapeInfoProvider {

  private static final Logger LOG = LoggerFactory.getLogger(CachedShapeInfo.class);

  CachedShapeInfo() {}

  /** Makes this JVM's ND4J use it, where ND4J runs its CPU backend's own provider. */
  public static synchronized void install() {
    if (Nd4j.getShapeInfoProvider().getClass() != DirectShapeInfoProvider.class) {
      return;
    }
    try {
      // ND4J reads its provider's class from its backend's properties once, and has no setter.
      Field provider = Nd4j.class.getDeclaredField("shapeInfoProvider");
      provider.setAccessible(true);
      provider.set(null, new CachedShapeInfo());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("could not install the shape-information cache; ND4J makes a shape buffer per array", e);
    }
  }

  @Override
  public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                         char order, DataType dataType, boolean empty) {
    if (elementWiseStride < 0) {
      return super.createShapeInformation(shape, stride, elementWiseStride, order, dataType, empty);
    }
    long extras = ArrayOptionsHelper.setOptionBit(0L, dataType);
    if (empty) {
      extras = ArrayOptionsHelper.setOptionBit(extras, ArrayType.EMPTY);
    }
    return createShapeInformation(shape, stride, elementWiseStride, order, extras);
  }
}
