package io.neuralake.spec;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * How the learning rate changes with the iteration (mini-batch count), in text form:
 * <ul>
 *   <li>{@code constant};</li>
 *   <li>{@code step(decay, every)}: multiplied by {@code decay} every {@code every} iterations;</li>
 *   <li>{@code exponential(gamma)}: multiplied by {@code gamma} each iteration;</li>
 *   <li>{@code cosine(iterations)}: cosine decay to 0 over {@code iterations}.</li>
 * </ul>
 * Any of them may start with a linear warm-up from 0 over {@code warmup} iterations.
 *
 * @param kind constant, step, exponential or cosine
 * @param rate the decay factor of step and exponential
 * @param iterations the step length of step, the length of cosine
 * @param warmup warm-up iterations, 0 for none
 */
public record LearningRateSchedule(String kind, double rate, int iterations, int warmup) implements Serializable {

  private static final Pattern FORM = Pattern.compile("\\s*(\\w+)\\s*(?:\\(([^)]*)\\))?\\s*");

  public LearningRateSchedule {
    if (warmup < 0) {
      throw new IllegalArgumentException("warm-up iterations must be >= 0, got " + warmup);
    }
  }

  /** A constant rate. */
  public static final LearningRateSchedule CONSTANT = new LearningRateSchedule("constant", 1, 0, 0);

  /** Parses the text form, e.g. {@code step(0.5, 1000)}; {@code warmup} iterations ramp up first. */
  public static LearningRateSchedule parse(String text, int warmup) {
    Matcher matcher = FORM.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("cannot read learning-rate schedule '" + text
          + "'; use constant, step(decay, every), exponential(gamma) or cosine(iterations)");
    }
    String kind = matcher.group(1).toLowerCase();
    String[] args = matcher.group(2) == null || matcher.group(2).isBlank() ? new String[0] : matcher.group(2).split(",");
    try {
      return switch (kind) {
        case "constant" -> new LearningRateSchedule(kind, 1, 0, warmup);
        case "step" -> {
          expect(text, args, 2);
          yield new LearningRateSchedule(kind, Double.parseDouble(args[0].strip()), positive(text, args[1]), warmup);
        }
        case "exponential" -> {
          expect(text, args, 1);
          yield new LearningRateSchedule(kind, Double.parseDouble(args[0].strip()), 0, warmup);
        }
        case "cosine" -> {
          expect(text, args, 1);
          yield new LearningRateSchedule(kind, 0, positive(text, args[0]), warmup);
        }
        default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + kind
            + "'; use constant, step(decay, every), exponential(gamma) or cosine(iterations)");
      };
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("learning-rate schedule '" + text + "' has a number that cannot be read", e);
    }
  }

  private static void expect(String text, String[] args, int count) {
    if (args.length != count) {
      throw new IllegalArgumentException("learning-rate schedule '" + text + "' takes " + count + " argument(s)");
    }
  }

  private static int positive(String text, String arg) {
    int value = Integer.parseInt(arg.strip());
    if (value < 1) {
      throw new IllegalArgumentException("learning-rate schedule '" + text + "' needs iterations >= 1");
    }
    return value;
  }

  /** The DL4J schedule starting at {@code learningRate}, or null for a constant rate without warm-up. */
  public ISchedule toDl4j(double learningRate) {
    ISchedule base = switch (kind) {
      case "step" -> new StepSchedule(ScheduleType.ITERATION, learningRate, rate, iterations);
      case "exponential" -> new ExponentialSchedule(ScheduleType.ITERATION, learningRate, rate);
      case "cosine" -> new CosineSchedule(learningRate, iterations);
      default -> warmup > 0 ? new FixedSchedule(learningRate) : null;
    };
    return warmup > 0 ? new WarmupSchedule(base, warmup) : base;
  }
}
