package io.neuralake.jobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** A bench run's figures as the JSON report holds them, and the median of a run's repeated fits. */
final class RunFigures {

  private RunFigures() {}

  static Map<String, Object> of(double samplesPerSecond, double steady, double accuracy, String setup) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("setup", setup);
    figures.put("samples_per_second", samplesPerSecond);
    figures.put("steady_samples_per_second", steady);
    figures.put("test_accuracy", accuracy);
    return figures;
  }

  /**
   * {@code warmups} runs of {@code fit} that only warm the JVM up, then {@code repeats} timed ones,
   * one after another; the {@link #median} of the timed ones' figures, with the warm-up fits' samples/s
   * under {@code warmup_fits_samples_per_second}.
   */
  static Map<String, Object> medianOf(int warmups, int repeats, Callable<Map<String, Object>> fit) throws Exception {
    List<Map<String, Object>> warmupFits = inTurns(List.of(fit), warmups).get(0);
    return medianOf(warmupFits, inTurns(List.of(fit), repeats).get(0));
  }

  /**
   * {@code turns} fits of each of {@code runs}, by run: in each turn every run fits once, the first
   * run first in even turns and last in odd ones, so that runs taken in turns share the machine's
   * drift in speed and none is always the one right after another.
   */
  static List<List<Map<String, Object>>> inTurns(List<Callable<Map<String, Object>>> runs, int turns)
      throws Exception {
    List<List<Map<String, Object>>> fits = new ArrayList<>();
    runs.forEach(run -> fits.add(new ArrayList<>()));
    for (int turn = 0; turn < turns; turn++) {
      for (int i = 0; i < runs.size(); i++) {
        int run = turn % 2 == 0 ? i : runs.size() - 1 - i;
        fits.get(run).add(runs.get(run).call());
      }
    }
    return fits;
  }

  /**
   * The {@link #median} of {@code fits}' figures, with the samples/s of {@code warmupFits}, made
   * before them, under {@code warmup_fits_samples_per_second}.
   */
  static Map<String, Object> medianOf(List<Map<String, Object>> warmupFits, List<Map<String, Object>> fits) {
    Map<String, Object> median = median(fits);
    if (!median.containsKey("skipped")) {
      median.put("warmup_fits_samples_per_second", warmupFits.stream().map(fit -> fit.get("samples_per_second"))
          .toList());
    }
    return median;
  }

  /**
   * The figures of the fit with the median whole-fit samples/s (the lower one of an even count),
   * with every fit's samples/s under {@code fits_samples_per_second}; the first skipped fit where one was.
   */
  static Map<String, Object> median(List<Map<String, Object>> fits) {
    for (Map<String, Object> fit : fits) {
      if (fit.containsKey("skipped")) {
        return fit;
      }
    }
    List<Map<String, Object>> sorted = fits.stream()
        .sorted(Comparator.comparingDouble(fit -> speed(fit))).toList();
    Map<String, Object> median = new LinkedHashMap<>(sorted.get((sorted.size() - 1) / 2));
    median.put("fits_samples_per_second", fits.stream().map(fit -> fit.get("samples_per_second")).toList());
    return median;
  }

  /**
   * The samples/s of each of {@code run}'s whole fits over those of {@code baseline}'s, fit by fit in the
   * order they were made (the warm-up fits, then the timed ones), as far as both made fits: for runs that
   * took their fits in turns, each pair shares the machine's speed of the moment.
   */
  static List<Double> ratiosFitByFit(Map<?, ?> run, Map<?, ?> baseline) {
    List<Double> fits = fitsInOrder(run);
    List<Double> baselineFits = fitsInOrder(baseline);
    List<Double> ratios = new ArrayList<>();
    for (int fit = 0; fit < Math.min(fits.size(), baselineFits.size()); fit++) {
      ratios.add(fits.get(fit) / baselineFits.get(fit));
    }
    return ratios;
  }

  private static List<Double> fitsInOrder(Map<?, ?> figures) {
    List<Double> fits = new ArrayList<>();
    for (String name : new String[] {"warmup_fits_samples_per_second", "fits_samples_per_second"}) {
      if (figures.get(name) instanceof List<?> speeds) {
        speeds.forEach(speed -> fits.add(((Number) speed).doubleValue()));
      }
    }
    return fits;
  }

  /** The whole-fit samples/s of {@code figures}, 0 where it has none. */
  static double speed(Object figures) {
    return figures instanceof Map<?, ?> run && run.get("samples_per_second") instanceof Number speed
        ? speed.doubleValue() : 0;
  }
}
