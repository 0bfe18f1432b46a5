package io.neuralake.spec;

import java.io.Serializable;

import org.deeplearning4j.nn.conf.ConvolutionMode;

/**
 * How a convolution or pooling window treats the border: {@code same} keeps
 * {@code ceil(I / s)} positions, {@code valid} uses no padding, and an explicit size {@code p}
 * pads {@code p} zeros on each side, giving {@code O = floor((I + 2p − K) / s) + 1}.
 *
 * @param isSame whether this is {@code same} padding
 * @param size zeros added on each side when not {@code same}
 */
public record Padding(boolean isSame, int size) implements Serializable {

  public Padding {
    if (size < 0) {
      throw new IllegalArgumentException("padding must be 'same', 'valid' or a size >= 0, got " + size);
    }
  }

  /** Output keeps {@code ceil(I / stride)} positions. */
  public static Padding same() {
    return new Padding(true, 0);
  }

  /** No padding. */
  public static Padding valid() {
    return new Padding(false, 0);
  }

  /** {@code size} zeros on each side. */
  public static Padding of(int size) {
    return new Padding(false, size);
  }

  /** Parses {@code same}, {@code valid} or a whole number. */
  public static Padding parse(String text) {
    String value = text.strip().toLowerCase();
    return switch (value) {
      case "same" -> same();
      case "valid" -> valid();
      default -> {
        try {
          yield of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("padding must be 'same', 'valid' or a whole number, got '" + text + "'", e);
        }
      }
    };
  }

  /** The text form. */
  public String toText() {
    return isSame ? "same" : size == 0 ? "valid" : Integer.toString(size);
  }

  /** Output positions along one axis for input {@code in}, window {@code kernel} and {@code stride}. */
  public long outputSize(long in, int kernel, int stride) {
    return isSame ? (in + stride - 1) / stride : (in + 2L * size - kernel) / stride + 1;
  }

  ConvolutionMode mode() {
    return isSame ? ConvolutionMode.Same : ConvolutionMode.Truncate;
  }
}
