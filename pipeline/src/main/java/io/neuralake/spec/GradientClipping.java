package io.neuralake.spec;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.conf.GradientNormalization;

/**
 * Gradient clipping before each update, in text form: {@code none}, {@code norm(t)} (each layer's
 * gradient rescaled to L2 norm at most {@code t}) or {@code value(t)} (each element clipped to
 * [-t, t]).
 *
 * @param mode none, norm or value
 * @param threshold the bound, &gt; 0 unless mode is none
 */
public record GradientClipping(String mode, double threshold) implements Serializable {

  private static final Pattern FORM = Pattern.compile("\\s*(none|norm|value)\\s*(?:\\(\\s*([^)]*)\\s*\\))?\\s*");

  /** No clipping. */
  public static final GradientClipping NONE = new GradientClipping("none", 0);

  public GradientClipping {
    if (!mode.equals("none") && !(threshold > 0)) {
      throw new IllegalArgumentException("gradient clipping " + mode + " needs a threshold > 0, got " + threshold);
    }
  }

  /** Parses {@code none}, {@code norm(t)} or {@code value(t)}. */
  public static GradientClipping parse(String text) {
    Matcher matcher = FORM.matcher(text.toLowerCase());
    if (!matcher.matches() || (matcher.group(1).equals("none") != (matcher.group(2) == null))) {
      throw new IllegalArgumentException("cannot read gradient clipping '" + text + "'; use none, norm(t) or value(t)");
    }
    return matcher.group(2) == null ? NONE : new GradientClipping(matcher.group(1), Double.parseDouble(matcher.group(2)));
  }

  GradientNormalization dl4jMode() {
    return switch (mode) {
      case "norm" -> GradientNormalization.ClipL2PerLayer;
      case "value" -> GradientNormalization.ClipElementWiseAbsoluteValue;
      default -> GradientNormalization.None;
    };
  }
}
