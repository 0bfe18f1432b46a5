package io.neuralake.train;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's updater for a network's own gradient, recognized again. DL4J's updater takes its fast
 * path, through the parameter and gradient views it made once, only when the gradient it is handed
 * is the network's flattened gradient array itself; DL4J 1.0.0-M2.1 hands it a reshaped view of that
 * array instead ({@code DefaultGradient.gradient()}), so every step took the path for a foreign
 * gradient, which makes new views of every parameter and its gradient, and their native shape buffers.
 * This updater gives DL4J's the array itself when the gradient lies in the same memory; the arithmetic
 * is the same.
 */
public final class OwnGradientUpdater extends MultiLayerUpdater {

  private OwnGradientUpdater(MultiLayerNetwork network, INDArray updaterState) {
    super(network, updaterState);
  }

  /** Replaces {@code network}'s updater, keeping its state, by one that recognizes the network's gradient. */
  public static void install(MultiLayerNetwork network) {
    network.setUpdater(new OwnGradientUpdater(network, network.getUpdater().getStateViewArray()));
  }

  @Override
  public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                  LayerWorkspaceMgr workspaceMgr) {
    INDArray own = getFlattenedGradientsView();
    INDArray given = gradient.gradient();
    super.update(given != own && sameMemory(given, own) ? ownedBy(own, gradient) : gradient, iteration, epoch,
        batchSize, workspaceMgr);
  }

  /** {@code gradient}'s variables, with {@code own} as its flattened array. */
  private static Gradient ownedBy(INDArray own, Gradient gradient) {
    Gradient same = new DefaultGradient(own) {
      @Override
      public INDArray gradient() {
        return own;
      }
    };
    gradient.gradientForVariable().forEach((name, values) ->
        same.setGradientFor(name, values, gradient.flatteningOrderForVariable(name)));
    return same;
  }

  /** As DL4J's: a new updater of the same network, its state not copied. */
  @Override
  public OwnGradientUpdater clone() {
    return new OwnGradientUpdater(network, null);
  }

  private static boolean sameMemory(INDArray a, INDArray b) {
    return a != null && b != null && a.data().address() == b.data().address() && a.offset() == b.offset()
        && a.length() == b.length() && a.elementWiseStride() == 1 && b.elementWiseStride() == 1
        && a.dataType() == b.dataType();
  }
}
