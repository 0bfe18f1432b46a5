package io.neuralake.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.neuralake.layers.FlatToSequence;
import io.neuralake.layers.ForwardCachingDense;
import io.neuralake.layers.RecurrentCell;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;

/**
 * An immutable description of a network's hidden layers: dense, dropout, convolution, pooling,
 * global pooling, batch normalization, transposed convolution, upsampling, the recurrent layers
 * (rnn, lstm, gru), self-attention, transformer encoder blocks and positional encoding. Input and output sizes are not part of it: they come from the data when
 * an estimator fits (vector size, or the image or sequence shape from the features column's
 * metadata), and the estimator adds the output layer.
 *
 * <p>Three ways to make one:
 * <ul>
 *   <li>the builder: {@code NetworkSpec.builder().dense(256).relu().dropout(0.2).dense(128).relu().build()};</li>
 *   <li>text, compact ({@code "dense(256, relu) -> dropout(0.2) -> dense(128, relu)"}) or JSON,
 *       through {@link #parse};</li>
 *   <li>a whole DL4J configuration, output layer included, through {@link #fromDl4j}.</li>
 * </ul>
 */
public final class NetworkSpec implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<LayerSpec> layers;
  /** A raw DL4J configuration as JSON, or null for a layered spec. */
  private final String dl4jJson;

  private NetworkSpec(List<LayerSpec> layers, String dl4jJson) {
    this.layers = List.copyOf(layers);
    this.dl4jJson = dl4jJson;
  }

  /** A spec made of these hidden layers (none gives a linear or logistic model). */
  public static NetworkSpec of(List<LayerSpec> layers) {
    return new NetworkSpec(layers, null);
  }

  /** Hidden ReLU layers of the given sizes: the usual MLP. */
  public static NetworkSpec mlp(int... hiddenSizes) {
    Builder builder = builder();
    for (int size : hiddenSizes) {
      builder.dense(size).relu();
    }
    return builder.build();
  }

  /**
   * Wraps a complete DL4J configuration, output layer included. Its first layer's input size and
   * last layer's output size must match the data; the estimator's optimizer, learning rate,
   * regularization and init params do not apply to it.
   */
  public static NetworkSpec fromDl4j(MultiLayerConfiguration configuration) {
    return new NetworkSpec(List.of(), configuration.toJson());
  }

  /** Parses the compact form or the JSON form (text starting with '{'). */
  public static NetworkSpec parse(String text) {
    Objects.requireNonNull(text, "network text");
    return text.strip().startsWith("{") ? NetworkSpecJson.read(text) : NetworkSpecText.read(text);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The hidden layers, empty for a wrapped DL4J configuration. */
  public List<LayerSpec> layers() {
    return layers;
  }

  /** Whether this spec wraps a complete DL4J configuration. */
  public boolean isDl4j() {
    return dl4jJson != null;
  }

  /** The wrapped DL4J configuration as JSON; only for {@link #isDl4j()} specs. */
  String dl4jJson() {
    return dl4jJson;
  }

  /** The compact one-line form; a wrapped DL4J configuration has only the JSON form. */
  public String toText() {
    if (isDl4j()) {
      return toJson();
    }
    return layers.stream().map(LayerSpec::toText).collect(Collectors.joining(" -> "));
  }

  /** The JSON form. */
  public String toJson() {
    return NetworkSpecJson.write(this);
  }

  /**
   * The DL4J configuration for inputs of {@code inputShape} ({@code [features]},
   * {@code [timesteps, features]} for sequences flattened step by step, or
   * {@code [channels, height, width]} for images flattened in that order), with the head on top
   * and the hyperparameters applied. Fails before anything trains, with a message naming the
   * layer, when a shape does not work out or a wrapped DL4J configuration does not fit the data.
   */
  public MultiLayerConfiguration toDl4j(long[] inputShape, OutputHead head, Hyperparameters hyper) {
    if (isDl4j()) {
      return checkedDl4j(Math.toIntExact(Arrays.stream(inputShape).reduce(1, Math::multiplyExact)), head);
    }
    List<long[]> shapes = outputShapes(inputShape);
    head.requireFits(shapes.isEmpty() ? inputShape : shapes.get(shapes.size() - 1), inputShape);
    NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
        .seed(hyper.seed())
        .updater(hyper.optimizer().toDl4j(hyper.learningRate(), hyper.schedule().toDl4j(hyper.learningRate()),
            hyper.momentum()))
        .weightInit(hyper.weightInit().toDl4j())
        .l1(hyper.l1())
        .l2(hyper.l2())
        .gradientNormalization(hyper.clipping().dl4jMode())
        .gradientNormalizationThreshold(hyper.clipping().threshold());
    if (hyper.maxNorm() > 0) {
      // Dimension 0 of a dense weight matrix [inputs, units]: the norm of each unit's incoming weights;
      // convolutions are bounded per filter after the build.
      builder.constrainWeights(new MaxNormConstraint(hyper.maxNorm(), 0));
    }
    NeuralNetConfiguration.ListBuilder list = builder.list();
    long[] shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i).toDl4j(shape);
      layer.setLayerName(layerName(i));
      list.layer(layer);
      shape = shapes.get(i);
    }
    if (inputShape.length == 2) {
      list.inputPreProcessor(0, new FlatToSequence(inputShape[0], inputShape[1]));
    }
    Layer output = head.toDl4j();
    output.setLayerName(OUTPUT_NAME);
    list.layer(output);
    MultiLayerConfiguration conf = list.setInputType(inputType(inputShape)).build();
    if (conf.getInputPreProcess(0) == null && conf.getConf(0).getLayer() instanceof ForwardCachingDense first) {
      // Fits never use the gradient with respect to the network's inputs.
      first.setInputGradient(false);
    }
    if (hyper.maxNorm() > 0) {
      conf.getConfs().forEach(layer -> boundFilters(layer.getLayer(), hyper.maxNorm()));
    }
    return conf;
  }

  /**
   * Max-norm per filter of a convolution, whose weights are {@code [filters, inputs, kH, kW]}, or of a
   * deconvolution, whose weights are {@code [inputs, filters, kH, kW]}.
   */
  private static void boundFilters(Layer layer, double maxNorm) {
    if (layer instanceof ConvolutionLayer) {
      int[] perFilter = layer instanceof Deconvolution2D ? new int[] {0, 2, 3} : new int[] {1, 2, 3};
      layer.setConstraints(List.of(new MaxNormConstraint(maxNorm, Set.of(ConvolutionParamInitializer.WEIGHT_KEY),
          perFilter)));
    }
  }

  /** Each hidden layer's output shape for one example of {@code inputShape}; fails on a shape that does not fit. */
  public List<long[]> outputShapes(long[] inputShape) {
    if (inputShape.length < 1 || inputShape.length > 3) {
      throw new IllegalArgumentException("input shape must be [features], [timesteps, features] or "
          + "[channels, height, width], got "
          + Arrays.toString(inputShape));
    }
    List<long[]> shapes = new ArrayList<>();
    long[] shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      try {
        shape = layers.get(i).outputShape(shape);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("layer " + layerName(i) + " (" + layers.get(i).toText() + "): "
            + e.getMessage(), e);
      }
      shapes.add(shape);
    }
    return shapes;
  }

  private static InputType inputType(long[] shape) {
    return shape.length == 3 ? InputType.convolutionalFlat(shape[1], shape[2], shape[0])
        : InputType.feedForward(Arrays.stream(shape).reduce(1, Math::multiplyExact));
  }

  private MultiLayerConfiguration checkedDl4j(int inputs, OutputHead head) {
    MultiLayerConfiguration configuration = MultiLayerConfiguration.fromJson(dl4jJson);
    List<NeuralNetConfiguration> confs = configuration.getConfs();
    if (confs.get(0).getLayer() instanceof FeedForwardLayer first && first.getNIn() != inputs) {
      throw new IllegalArgumentException("the DL4J configuration's first layer takes " + first.getNIn()
          + " inputs but the features column has " + inputs + "; change the layer's nIn or the features");
    }
    if (confs.get(confs.size() - 1).getLayer() instanceof FeedForwardLayer last && last.getNOut() != head.units()) {
      throw new IllegalArgumentException("the DL4J configuration's last layer has " + last.getNOut()
          + " outputs but the label needs " + head.units() + "; change the output layer's nOut");
    }
    return configuration;
  }

  /** The stable name of hidden layer {@code index}, e.g. {@code dense_0}. */
  public String layerName(int index) {
    return LayerArguments.kind(layers.get(index)) + "_" + index;
  }

  /** The name of the output layer an estimator adds. */
  public static final String OUTPUT_NAME = "output";

  /** A Keras-like table of the hidden layers, their output shapes and parameter counts. */
  public String summary(long... inputShape) {
    return summary(inputShape, null);
  }

  /** The same table with the output layer an estimator adds on top. */
  public String summary(long[] inputShape, OutputHead head) {
    if (isDl4j()) {
      org.deeplearning4j.nn.multilayer.MultiLayerNetwork network =
          new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(MultiLayerConfiguration.fromJson(dl4jJson));
      network.init();
      return network.summary();
    }
    SummaryTable table = new SummaryTable(inputShape);
    List<long[]> shapes = outputShapes(inputShape);
    long[] shape = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      table.add(layerName(i) + " (" + layers.get(i).toText() + ")", shapes.get(i), layers.get(i).parameterCount(shape));
      shape = shapes.get(i);
    }
    if (head != null) {
      table.add(OUTPUT_NAME + " (" + head.describe() + ")", head.outputShape(shape),
          head.parameterCount(shape));
    }
    return table.render();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NetworkSpec that && layers.equals(that.layers) && Objects.equals(dl4jJson, that.dl4jJson);
  }

  @Override
  public int hashCode() {
    return Objects.hash(layers, dl4jJson);
  }

  @Override
  public String toString() {
    return toText();
  }

  /** Fluent construction of a layered spec; activation calls apply to the dense layer just added. */
  public static final class Builder {

    private final List<LayerSpec> layers = new ArrayList<>();

    private Builder() {}

    /** Adds a dense layer with ReLU activation, changeable by the next activation call. */
    public Builder dense(int units) {
      layers.add(new DenseSpec(units, Activation.RELU));
      return this;
    }

    /** Adds a convolution with {@code filters} square kernels of {@code kernel}, stride 1, valid padding, ReLU. */
    public Builder conv(int filters, int kernel) {
      return conv(filters, kernel, 1, Padding.valid());
    }

    /** Adds a convolution with ReLU activation, changeable by the next activation call. */
    public Builder conv(int filters, int kernel, int stride, Padding padding) {
      layers.add(new ConvSpec(filters, kernel, stride, padding, Activation.RELU));
      return this;
    }

    /** Adds max pooling over {@code kernel}×{@code kernel} windows with stride {@code kernel}. */
    public Builder maxPool(int kernel) {
      layers.add(new PoolSpec(true, kernel, kernel, Padding.valid()));
      return this;
    }

    /** Adds average pooling over {@code kernel}×{@code kernel} windows with stride {@code kernel}. */
    public Builder avgPool(int kernel) {
      layers.add(new PoolSpec(false, kernel, kernel, Padding.valid()));
      return this;
    }

    /** Adds global max ({@code true}) or average pooling. */
    public Builder globalPool(boolean max) {
      layers.add(new GlobalPoolSpec(max));
      return this;
    }

    /** Adds batch normalization. */
    public Builder batchNorm() {
      layers.add(new BatchNormSpec());
      return this;
    }

    /** Adds a transposed convolution with ReLU activation, changeable by the next activation call. */
    public Builder deconv(int filters, int kernel, int stride, Padding padding) {
      layers.add(new DeconvSpec(filters, kernel, stride, padding, Activation.RELU));
      return this;
    }

    /** Adds nearest-neighbour upsampling by {@code size}. */
    public Builder upsample(int size) {
      layers.add(new UpsampleSpec(size));
      return this;
    }

    /**
     * Adds a simple (Elman) recurrent layer that outputs its last step; see {@link #bidirectional()},
     * {@link #sequences()}, {@link #tbptt(int)}.
     */
    public Builder rnn(int units) {
      layers.add(new RecurrentSpec(RecurrentCell.RNN, units, false, false));
      return this;
    }

    /**
     * Adds an LSTM layer that outputs its last step; see {@link #bidirectional()}, {@link #sequences()},
     * {@link #tbptt(int)}.
     */
    public Builder lstm(int units) {
      layers.add(new RecurrentSpec(RecurrentCell.LSTM, units, false, false));
      return this;
    }

    /**
     * Adds a GRU layer that outputs its last step; see {@link #bidirectional()}, {@link #sequences()},
     * {@link #tbptt(int)}.
     */
    public Builder gru(int units) {
      layers.add(new RecurrentSpec(RecurrentCell.GRU, units, false, false));
      return this;
    }

    /** Makes the recurrent layer just added read the sequence both ways, concatenating the outputs. */
    public Builder bidirectional() {
      RecurrentSpec r = lastRecurrent("bidirectional");
      layers.set(layers.size() - 1, new RecurrentSpec(r.cell(), r.units(), true, r.sequences(), r.tbptt()));
      return this;
    }

    /** Makes the recurrent layer just added output every step rather than only the last. */
    public Builder sequences() {
      RecurrentSpec r = lastRecurrent("sequences");
      layers.set(layers.size() - 1, new RecurrentSpec(r.cell(), r.units(), r.bidirectional(), true, r.tbptt()));
      return this;
    }

    /**
     * Truncates backpropagation through time in the recurrent layer just added: gradients flow back
     * through its state only within segments of {@code steps} steps.
     */
    public Builder tbptt(int steps) {
      RecurrentSpec r = lastRecurrent("tbptt");
      layers.set(layers.size() - 1, new RecurrentSpec(r.cell(), r.units(), r.bidirectional(), r.sequences(), steps));
      return this;
    }

    private RecurrentSpec lastRecurrent(String option) {
      if (!layers.isEmpty() && layers.get(layers.size() - 1) instanceof RecurrentSpec r) {
        return r;
      }
      throw new IllegalStateException(option + " must follow an rnn, lstm or gru layer; add one first");
    }

    /** Adds multi-head self-attention with {@code heads} heads writing {@code size} values per step. */
    public Builder attention(int heads, int size) {
      layers.add(new AttentionSpec(heads, size));
      return this;
    }

    /** Adds a transformer encoder block with {@code heads} heads and {@code feedForward} hidden units. */
    public Builder transformer(int heads, int feedForward) {
      layers.add(new TransformerSpec(heads, feedForward));
      return this;
    }

    /** Adds position codes to the steps: learned ones, or sinusoids when {@code learned} is false. */
    public Builder positionalEncoding(boolean learned) {
      layers.add(new PosEncSpec(learned));
      return this;
    }

    /** Adds a layer that repeats a vector as {@code times} steps of a sequence. */
    public Builder repeat(int times) {
      layers.add(new RepeatSpec(times));
      return this;
    }

    /** Adds a layer that keeps only the last step of a sequence. */
    public Builder lastStep() {
      layers.add(new LastStepSpec());
      return this;
    }

    /** Adds dropout with the given drop probability. */
    public Builder dropout(double rate) {
      layers.add(new DropoutSpec(rate));
      return this;
    }

    /** Sets the activation of the dense, conv or deconv layer just added. */
    public Builder activation(Activation activation) {
      LayerSpec last = layers.isEmpty() ? null : layers.get(layers.size() - 1);
      LayerSpec changed;
      if (last instanceof DenseSpec d) {
        changed = new DenseSpec(d.units(), activation);
      } else if (last instanceof ConvSpec c) {
        changed = new ConvSpec(c.filters(), c.kernel(), c.stride(), c.padding(), activation);
      } else if (last instanceof DeconvSpec d) {
        changed = new DeconvSpec(d.filters(), d.kernel(), d.stride(), d.padding(), activation);
      } else {
        throw new IllegalStateException("activation " + activation.textName()
            + " must follow a dense, conv or deconv layer; add one first");
      }
      layers.set(layers.size() - 1, changed);
      return this;
    }

    /** ReLU on the dense layer just added. */
    public Builder relu() {
      return activation(Activation.RELU);
    }

    /** Leaky ReLU on the dense layer just added. */
    public Builder leakyRelu() {
      return activation(Activation.LEAKYRELU);
    }

    /** Sigmoid on the dense layer just added. */
    public Builder sigmoid() {
      return activation(Activation.SIGMOID);
    }

    /** Tanh on the dense layer just added. */
    public Builder tanh() {
      return activation(Activation.TANH);
    }

    /** The spec. */
    public NetworkSpec build() {
      return of(layers);
    }
  }
}
