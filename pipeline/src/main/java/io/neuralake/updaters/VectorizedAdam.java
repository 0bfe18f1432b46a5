package io.neuralake.updaters;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * DL4J's {@link Adam}, same settings, state layout and arithmetic, with the update computed by
 * {@link VectorizedAdamUpdater}. A configuration saved with it names this class; its state loads
 * into plain Adam and back.
 */
public final class VectorizedAdam extends Adam {

  /** Adam with DL4J's defaults (for JSON). */
  public VectorizedAdam() {}

  /** Adam with a fixed learning rate. */
  public VectorizedAdam(double learningRate) {
    super(learningRate);
  }

  /** Adam with a learning-rate schedule. */
  public VectorizedAdam(ISchedule schedule) {
    super(schedule);
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    VectorizedAdamUpdater updater = new VectorizedAdamUpdater(this);
    INDArray flat = viewArray.reshape(viewArray.length());
    updater.setStateViewArray(flat, new long[] {flat.length() / 2}, flat.ordering(), initializeViewArray);
    return updater;
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    VectorizedAdamUpdater updater = new VectorizedAdamUpdater(this);
    updater.setState(updaterState, initializeStateArrays);
    return updater;
  }

  @Override
  public VectorizedAdam clone() {
    VectorizedAdam copy = new VectorizedAdam();
    copy.setLrAndSchedule(getLearningRate(), getLearningRateSchedule());
    copy.setBeta1(getBeta1());
    copy.setBeta2(getBeta2());
    copy.setEpsilon(getEpsilon());
    return copy;
  }

  @Override
  protected boolean canEqual(Object other) {
    return other instanceof VectorizedAdam;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VectorizedAdam && super.equals(other);
  }

  @Override
  public int hashCode() {
    return 31 * super.hashCode() + 1;
  }
}
