package io.neuralake.train;

import java.util.OptionalInt;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.collection.Map;

/**
 * Binds a Spark task's ND4J work to the GPU that Spark's scheduler assigned it
 * ({@code spark.task.resource.gpu.amount}, addresses from the executors' discovery script), so
 * that concurrent tasks on a multi-GPU executor each use their own card. Without an assigned GPU
 * nothing changes; on ND4J's CPU backend an assigned GPU is reported once and left unused.
 */
public final class GpuBinding {

  /** Spark's resource name for GPUs. */
  public static final String GPU = "gpu";

  private static final Logger LOG = LoggerFactory.getLogger(GpuBinding.class);
  private static volatile boolean warned;

  /** The devices of a backend: ND4J's, or a stand-in in tests. */
  public interface Devices {
    /** Whether the backend runs on GPUs. */
    boolean gpu();

    /** How many devices the backend sees. */
    int count();

    /** Makes {@code device} the current thread's device. */
    void use(int device);
  }

  /** ND4J's devices: GPUs on the CUDA backend. */
  public static final Devices ND4J = new Devices() {
    @Override
    public boolean gpu() {
      return Nd4j.getBackend().getClass().getSimpleName().contains("Cublas");
    }

    @Override
    public int count() {
      return Nd4j.getAffinityManager().getNumberOfDevices();
    }

    @Override
    public void use(int device) {
      Nd4j.getAffinityManager().unsafeSetDevice(device);
    }
  };

  private GpuBinding() {}

  /**
   * The GPU assigned to the running task, bound on {@link #ND4J}; empty outside a task, without an
   * assigned GPU, or on the CPU backend.
   */
  public static OptionalInt bindTask() {
    TaskContext task = TaskContext.get();
    return task == null ? OptionalInt.empty() : bind(task.resources(), ND4J);
  }

  /**
   * Binds {@code devices} to the first GPU in a task's {@code resources}; returns it, or empty when
   * there is none or the backend has no GPUs.
   */
  public static OptionalInt bind(Map<String, ResourceInformation> resources, Devices devices) {
    OptionalInt assigned = assignedDevice(resources);
    if (assigned.isEmpty()) {
      return assigned;
    }
    if (!devices.gpu()) {
      if (!warned) {
        warned = true;
        LOG.warn("Spark assigned GPU {} to this task but ND4J runs on its CPU backend; build with -Pcuda to train "
            + "on GPUs", assigned.getAsInt());
      }
      return OptionalInt.empty();
    }
    int device = assigned.getAsInt();
    if (device >= devices.count()) {
      throw new IllegalStateException("Spark assigned GPU " + device + " to this task but ND4J sees only "
          + devices.count() + " device(s); make the executors' GPU discovery script report CUDA device ordinals "
          + "visible to the executor (check CUDA_VISIBLE_DEVICES)");
    }
    devices.use(device);
    return assigned;
  }

  /** The first GPU address in {@code resources}, as a CUDA device ordinal. */
  public static OptionalInt assignedDevice(Map<String, ResourceInformation> resources) {
    Option<ResourceInformation> gpus = resources.get(GPU);
    if (gpus.isEmpty() || gpus.get().addresses().length == 0) {
      return OptionalInt.empty();
    }
    String address = gpus.get().addresses()[0];
    try {
      int device = Integer.parseInt(address.strip());
      if (device < 0) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(device);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Spark assigned the GPU address '" + address + "' but ND4J needs a CUDA "
          + "device ordinal (0, 1, ...); make the GPU discovery script print ordinals, as Spark's "
          + "getGpusResources.sh does");
    }
  }
}
