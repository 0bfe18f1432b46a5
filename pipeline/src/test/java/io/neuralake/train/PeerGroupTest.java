package io.neuralake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Workers averaging among themselves over TCP, as threads of this JVM. */
class PeerGroupTest {

  private static final String SECRET = "fit-secret";

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  /** What worker {@code worker} does in a round: its values, whether it contributes, its loss and examples. */
  private record Round(float[] values, boolean contributes, double lossSum, long examples) {}

  /** Runs one average per round on {@code rounds.size()} workers that meet at a {@link Rendezvous}. */
  private List<List<float[]>> run(List<List<Round>> rounds, List<List<PeerGroup.RoundTotals>> totals)
      throws Exception {
    int workers = rounds.size();
    try (Rendezvous rendezvous = new Rendezvous("127.0.0.1", workers, SECRET)) {
      List<Future<List<float[]>>> results = new ArrayList<>();
      for (int worker = 0; worker < workers; worker++) {
        int me = worker;
        results.add(threads.submit(() -> {
          try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
               PeerGroup group = PeerGroup.connect(me, Rendezvous.join(rendezvous.address(), SECRET, me,
                   new InetSocketAddress("127.0.0.1", server.getLocalPort())), server, SECRET)) {
            List<float[]> averages = new ArrayList<>();
            for (Round round : rounds.get(me)) {
              float[] values = round.values().clone();
              PeerGroup.RoundTotals sums =
                  group.average(values, round.contributes(), round.lossSum(), round.examples());
              synchronized (totals) {
                totals.get(me).add(sums);
              }
              averages.add(values);
            }
            return averages;
          }
        }));
      }
      List<List<float[]>> averages = new ArrayList<>();
      for (Future<List<float[]>> result : results) {
        averages.add(result.get(60, TimeUnit.SECONDS));
      }
      return averages;
    }
  }

  private static float[] random(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = random.nextFloat() * 2 - 1;
    }
    return values;
  }

  @Test
  void everyWorkerGetsTheSameAverageOfTheContributorsAndTheSummedLoss() throws Exception {
    int workers = 3;
    int length = 100_003;  // not a multiple of the workers: the slices differ in size
    Random random = new Random(7);
    List<List<Round>> rounds = new ArrayList<>();
    List<List<PeerGroup.RoundTotals>> totals = new ArrayList<>();
    float[][] first = new float[workers][];
    float[][] second = new float[workers][];
    for (int worker = 0; worker < workers; worker++) {
      first[worker] = random(random, length);
      second[worker] = random(random, length);
      // In the second round worker 1 had no batches: its values must not count.
      rounds.add(List.of(new Round(first[worker], true, worker + 1.5, 10L * (worker + 1)),
          new Round(second[worker], worker != 1, worker == 1 ? 0 : 2.0, worker == 1 ? 0 : 5)));
      totals.add(new ArrayList<>());
    }

    List<List<float[]>> averages = run(rounds, totals);

    float[] expectedFirst = new float[length];
    float[] expectedSecond = new float[length];
    for (int i = 0; i < length; i++) {
      expectedFirst[i] = (first[0][i] + first[1][i] + first[2][i]) / 3;
      expectedSecond[i] = (second[0][i] + second[2][i]) / 2;
    }
    for (int worker = 0; worker < workers; worker++) {
      assertArrayEquals(expectedFirst, averages.get(worker).get(0), "round 1, worker " + worker);
      assertArrayEquals(expectedSecond, averages.get(worker).get(1), "round 2, worker " + worker);
      assertEquals(new PeerGroup.RoundTotals(1.5 + 2.5 + 3.5, 60, 3), totals.get(worker).get(0));
      assertEquals(new PeerGroup.RoundTotals(4.0, 10, 2), totals.get(worker).get(1));
    }
  }

  @Test
  void roundAfterRoundEachAverageIsRightThoughTheReceivedArraysAreFilledAgain() throws Exception {
    int workers = 3;
    int length = 20_002;  // slices of two lengths, whose arrays must not be mixed up
    int roundCount = 8;
    Random random = new Random(11);
    List<List<Round>> rounds = new ArrayList<>();
    List<List<PeerGroup.RoundTotals>> totals = new ArrayList<>();
    float[][][] values = new float[workers][roundCount][];
    for (int worker = 0; worker < workers; worker++) {
      List<Round> own = new ArrayList<>();
      for (int round = 0; round < roundCount; round++) {
        values[worker][round] = random(random, length);
        own.add(new Round(values[worker][round], true, 1, 1));
      }
      rounds.add(own);
      totals.add(new ArrayList<>());
    }

    List<List<float[]>> averages = run(rounds, totals);

    for (int round = 0; round < roundCount; round++) {
      float[] expected = new float[length];
      for (int i = 0; i < length; i++) {
        expected[i] = (values[0][round][i] + values[1][round][i] + values[2][round][i]) / 3;
      }
      for (int worker = 0; worker < workers; worker++) {
        assertArrayEquals(expected, averages.get(worker).get(round), "round " + round + ", worker " + worker);
      }
    }
  }

  @Test
  void oneWorkerKeepsItsOwnValues() throws Exception {
    float[] values = random(new Random(3), 1000);
    List<List<PeerGroup.RoundTotals>> totals = List.of(new ArrayList<>());
    List<List<float[]>> averages = run(List.of(List.of(new Round(values, true, 0.25, 4))), totals);
    assertArrayEquals(values, averages.get(0).get(0));
    assertEquals(new PeerGroup.RoundTotals(0.25, 4, 1), totals.get(0).get(0));
  }

  @Test
  void aConnectionWithoutTheSecretIsDroppedAndTheWorkersStillMeet() throws Exception {
    try (Rendezvous rendezvous = new Rendezvous("127.0.0.1", 1, SECRET);
         Socket stranger = new Socket()) {
      stranger.connect(rendezvous.address());
      DataOutputStream out = new DataOutputStream(stranger.getOutputStream());
      out.writeUTF("not-the-secret");
      out.writeInt(0);
      out.flush();
      assertEquals(-1, stranger.getInputStream().read(), "the stranger's connection is closed unanswered");
      List<InetSocketAddress> addresses = Rendezvous.join(rendezvous.address(), SECRET, 0,
          new InetSocketAddress("127.0.0.1", 4242));
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 4242)), addresses);
    }
  }

  @Test
  void aWorkerWhosePeerIsGoneFailsInsteadOfWaiting() throws Exception {
    try (Rendezvous rendezvous = new Rendezvous("127.0.0.1", 2, SECRET)) {
      Future<PeerGroup> second = threads.submit(() -> {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
          return PeerGroup.connect(1, Rendezvous.join(rendezvous.address(), SECRET, 1,
              new InetSocketAddress("127.0.0.1", server.getLocalPort())), server, SECRET);
        }
      });
      try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
           PeerGroup first = PeerGroup.connect(0, Rendezvous.join(rendezvous.address(), SECRET, 0,
               new InetSocketAddress("127.0.0.1", server.getLocalPort())), server, SECRET)) {
        second.get(60, TimeUnit.SECONDS).close();
        IOException gone = assertThrows(IOException.class, () -> first.average(new float[10], true, 1, 1));
        assertTrue(gone.getMessage().contains("worker 1"), gone.getMessage());
      }
    }
  }
}
