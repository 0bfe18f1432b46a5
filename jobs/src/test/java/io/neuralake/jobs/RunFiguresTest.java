package io.neuralake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

/** How the bench reports a run whose fits it repeated. */
class RunFiguresTest {

  private static Map<String, Object> fit(double samplesPerSecond, double accuracy) {
    return RunFigures.of(samplesPerSecond, samplesPerSecond * 1.5, accuracy, "run");
  }

  @Test
  void reportsTheMedianFitWithEveryFitsRate() {
    Map<String, Object> median = RunFigures.median(List.of(fit(300, 0.3), fit(100, 0.1), fit(200, 0.2)));
    assertEquals(200.0, median.get("samples_per_second"));
    assertEquals(0.2, median.get("test_accuracy"), "the median fit's own accuracy");
    assertEquals(List.of(300.0, 100.0, 200.0), median.get("fits_samples_per_second"));
  }

  @Test
  void medianOfRunsTheWarmUpFitsThenTheTimedOnes() throws Exception {
    double[] speeds = {10, 20, 300, 100, 200};
    int[] calls = {0};
    Map<String, Object> median = RunFigures.medianOf(2, 3, () -> fit(speeds[calls[0]++], 0));
    assertEquals(5, calls[0]);
    assertEquals(200.0, median.get("samples_per_second"), "the warm-up fits stay out of the median");
    assertEquals(List.of(300.0, 100.0, 200.0), median.get("fits_samples_per_second"));
    assertEquals(List.of(10.0, 20.0), median.get("warmup_fits_samples_per_second"));
  }

  @Test
  void runsTakeTheirFitsInTurnsWhoseOrderAlternates() throws Exception {
    List<String> order = new java.util.ArrayList<>();
    double[] speed = {0};
    List<Callable<Map<String, Object>>> runs = List.of("a", "b").stream().<Callable<Map<String, Object>>>map(
        name -> () -> {
          order.add(name);
          return fit(++speed[0], 0);
        }).toList();
    List<List<Map<String, Object>>> fits = RunFigures.inTurns(runs, 3);
    assertEquals(List.of("a", "b", "b", "a", "a", "b"), order);
    assertEquals(List.of(1.0, 4.0, 5.0), fits.get(0).stream().map(fit -> fit.get("samples_per_second")).toList());
    assertEquals(List.of(2.0, 3.0, 6.0), fits.get(1).stream().map(fit -> fit.get("samples_per_second")).toList());
  }

  @Test
  void comparesTwoRunsFitByFitWarmUpFitsFirst() throws Exception {
    double[] speeds = {10, 20, 30, 40, 50};
    int[] calls = {0};
    Map<String, Object> run = RunFigures.medianOf(2, 3, () -> fit(speeds[calls[0]++], 0));
    Map<String, Object> baseline = RunFigures.medianOf(1, 3, () -> fit(20, 0));
    assertEquals(List.of(0.5, 1.0, 1.5, 2.0), RunFigures.ratiosFitByFit(run, baseline),
        "fit by fit, as far as both runs made fits");
  }

  @Test
  void takesTheLowerMiddleFitOfAnEvenCount() {
    assertEquals(200.0, RunFigures.median(List.of(fit(400, 0), fit(100, 0), fit(300, 0), fit(200, 0)))
        .get("samples_per_second"));
  }

  @Test
  void aSkippedFitSkipsTheRun() {
    Map<String, Object> skipped = BaselineProcess.skipped("no torch");
    assertEquals(skipped, RunFigures.median(List.of(fit(100, 0), skipped)));
  }
}
