package io.neuralake.layers;

import java.io.PrintStream;
import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's runtime for SameDiff layers with its gradients corrected. In 1.0.0-M2.1 that runtime
 * returns twice the true gradient, for the parameters and for the layer's input alike (DL4J's own
 * {@code SelfAttentionLayer} fails a gradient check by exactly that factor); this runtime halves
 * both. {@code SequenceLayersGradientTest} checks every layer of ours against finite differences.
 *
 * <p>SameDiff in M2.1 also prints a line to {@code System.out} for every op it differentiates,
 * hundreds per unrolled layer; those lines, and only those, are dropped.
 */
final class SameDiffRuntime extends SameDiffLayer {

  private static final long serialVersionUID = 1L;
  private static final String DEBUG_LINE = "Added differentiated op ";

  static {
    PrintStream out = System.out;
    System.setOut(new PrintStream(out, true) {
      @Override
      public void println(String line) {
        if (line == null || !line.startsWith(DEBUG_LINE)) {
          super.println(line);
        }
      }
    });
  }

  private SameDiffRuntime(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** The runtime layer for {@code conf}, set up as DL4J's {@code SameDiffLayer.instantiate} does. */
  static Layer create(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                      INDArray paramsView, boolean initializeParams, DataType dataType) {
    SameDiffRuntime layer = new SameDiffRuntime(conf, dataType);
    layer.setIndex(index);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(conf.getLayer().initializer().init(conf, paramsView, initializeParams));
    layer.setConf(conf);
    layer.setListeners(listeners);
    return layer;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
    INDArray gradients = getGradientsViewArray();
    if (gradients != null) {
      gradients.muli(0.5);
    }
    result.getSecond().muli(0.5);
    return result;
  }
}
