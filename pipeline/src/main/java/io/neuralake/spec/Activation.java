package io.neuralake.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Activation functions a layer can apply, by the names used in the text form. */
public enum Activation {
  IDENTITY(org.nd4j.linalg.activations.Activation.IDENTITY),
  RELU(org.nd4j.linalg.activations.Activation.RELU),
  LEAKYRELU(org.nd4j.linalg.activations.Activation.LEAKYRELU),
  SIGMOID(org.nd4j.linalg.activations.Activation.SIGMOID),
  TANH(org.nd4j.linalg.activations.Activation.TANH),
  SOFTMAX(org.nd4j.linalg.activations.Activation.SOFTMAX),
  ELU(org.nd4j.linalg.activations.Activation.ELU),
  GELU(org.nd4j.linalg.activations.Activation.GELU);

  private final org.nd4j.linalg.activations.Activation dl4j;

  Activation(org.nd4j.linalg.activations.Activation dl4j) {
    this.dl4j = dl4j;
  }

  /** The DL4J activation this name stands for. */
  public org.nd4j.linalg.activations.Activation dl4j() {
    return dl4j;
  }

  /** The lower-case name used in the text form. */
  public String textName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a name such as {@code relu} or {@code leaky_relu}, case-insensitively. */
  public static Activation parse(String name) {
    String key = name.trim().replace("_", "").toUpperCase(Locale.ROOT);
    for (Activation activation : values()) {
      if (activation.name().equals(key)) {
        return activation;
      }
    }
    throw new IllegalArgumentException("unknown activation '" + name + "'; use one of "
        + Arrays.stream(values()).map(Activation::textName).collect(Collectors.joining(", ")));
  }
}
