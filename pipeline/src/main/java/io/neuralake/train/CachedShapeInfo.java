package io.neuralake.train;

import java.lang.reflect.Field;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.api.shape.options.ArrayType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J's CPU shape-information cache, reached by every new array. ND4J's CPU backend keeps one native
 * shape buffer per shape, strides, element-wise stride, order and flags, but only for callers that pass
 * the flags; the overload that names a data type and emptiness, which {@code BaseNDArray}'s
 * constructors call, makes a new buffer each time: a native call, a pointer and a deallocator reference
 * for each array, about 19 per step of the bench's MLP. This provider answers that overload from the
 * CPU backend's cache, with the same shape information; negative element-wise strides, which that cache
 * stores as 0, still get a buffer of their own. ND4J's CUDA backend caches every shape already.
 */
public final class CachedShapeInfo implements ShapeInfoProvider {

  private static final Logger LOG = LoggerFactory.getLogger(CachedShapeInfo.class);
  /** The CPU backend's provider, named rather than referenced, so that a classpath without it still loads this. */
  private static final String CPU_PROVIDER = "org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider";

  private final ShapeInfoProvider cpu;

  /** Answers from {@code cpu}, the CPU backend's provider. */
  CachedShapeInfo(ShapeInfoProvider cpu) {
    this.cpu = cpu;
  }

  /** Makes this JVM's ND4J use it, where ND4J runs its CPU backend's own provider. */
  public static synchronized void install() {
    ShapeInfoProvider installed = Nd4j.getShapeInfoProvider();
    if (!installed.getClass().getName().equals(CPU_PROVIDER)) {
      return;
    }
    try {
      use(new CachedShapeInfo(installed));
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("could not install the shape-information cache; ND4J makes a shape buffer per array", e);
    }
  }

  /** Makes this JVM's ND4J use {@code provider}. */
  static void use(ShapeInfoProvider provider) throws ReflectiveOperationException {
    // ND4J reads its provider's class from its backend's properties once, and has no setter.
    Field field = Nd4j.class.getDeclaredField("shapeInfoProvider");
    field.setAccessible(true);
    field.set(null, provider);
  }

  @Override
  public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, DataType dataType) {
    return createShapeInformation(shape, Nd4j.order(), dataType);
  }

  @Override
  public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, char order, DataType dataType) {
    return createShapeInformation(shape, Nd4j.getStrides(shape, order), 1, order, dataType, false);
  }

  @Override
  public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                         char order, DataType dataType, boolean empty) {
    if (elementWiseStride < 0) {
      return cpu.createShapeInformation(shape, stride, elementWiseStride, order, dataType, empty);
    }
    long extras = ArrayOptionsHelper.setOptionBit(0L, dataType);
    if (empty) {
      extras = ArrayOptionsHelper.setOptionBit(extras, ArrayType.EMPTY);
    }
    return cpu.createShapeInformation(shape, stride, elementWiseStride, order, extras);
  }

  @Override
  public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                         char order, long extras) {
    return cpu.createShapeInformation(shape, stride, elementWiseStride, order, extras);
  }

  @Override
  public void purgeCache() {
    cpu.purgeCache();
  }

  @Override
  public long getCachedBytes() {
    return cpu.getCachedBytes();
  }
}
