package io.neuralake.spec;

import java.io.Serializable;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One hidden layer of a {@link NetworkSpec}. Each kind knows its text form, its output shape and
 * parameter count for a given input shape ({@code [features]}, {@code [timesteps, features]} or {@code [channels, height, width]}),
 * and the DL4J layer it becomes.
 */
public sealed interface LayerSpec extends Serializable permits DenseSpec, DropoutSpec, ConvSpec, PoolSpec,
    GlobalPoolSpec, BatchNormSpec, DeconvSpec, UpsampleSpec, RecurrentSpec, LastStepSpec,
    AttentionSpec, TransformerSpec, PosEncSpec, RepeatSpec {

  /** The layer in the compact text form, e.g. {@code dense(128, relu)}. */
  String toText();

  /** The shape this layer outputs for one example of the given input shape. */
  long[] outputShape(long[] inputShape);

  /** The number of trainable parameters for the given input shape. */
  long parameterCount(long[] inputShape);

  /** The DL4J layer for inputs of {@code inputShape}; sizes are inferred by DL4J from the input type. */
  Layer toDl4j(long[] inputShape);
}
