package io.neuralake.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import org.apache.spark.SparkEnv;

/**
 * The workers of one barrier stage, connected to each other by TCP, which average their arrays
 * without the driver: each worker owns a slice, sums it over the workers in worker order and
 * divides by the number of contributors, and sends the average back to every other worker
 * (reduce-scatter, then all-gather). Every worker ends with the same bits, as the driver's average
 * would give. Each worker sends and receives about twice its array per average, whatever the
 * number of workers. A connection opens with the fit's secret, which only its tasks know.
 */
final class PeerGroup implements AutoCloseable {

  /** How long a worker waits for its peers to connect; they are all running (barrier mode). */
  static final int CONNECT_TIMEOUT_MS = 120_000;
  /** Floats per write or read: arrays cross the sockets through a buffer of this size, not a copy of each slice. */
  private static final int CHUNK = 1 << 14;

  private final int me;
  private final int size;
  /** Per peer, null at {@code me}. */
  private final Socket[] sockets;
  private final DataOutputStream[] out;
  private final List<BlockingQueue<Message>> inbox;
  /** Per peer, the arrays whose values this worker has used, for that peer's reader to fill again. */
  private final List<Spares> spares;
  private final ByteBuffer sendBuffer = ByteBuffer.allocate(4 * CHUNK);
  /** This worker's slice of the sum, kept from round to round. */
  private float[] sum = new float[0];

  private PeerGroup(int me, Socket[] sockets) throws IOException {
    this.me = me;
    this.size = sockets.length;
    this.sockets = sockets;
    this.out = new DataOutputStream[size];
    this.inbox = new ArrayList<>();
    this.spares = new ArrayList<>();
    for (int peer = 0; peer < size; peer++) {
      BlockingQueue<Message> queue = new LinkedBlockingQueue<>();
      Spares arrays = new Spares();
      inbox.add(queue);
      spares.add(arrays);
      if (peer != me) {
        out[peer] = new DataOutputStream(new BufferedOutputStream(sockets[peer].getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(new BufferedInputStream(sockets[peer].getInputStream(), 1 << 16));
        Thread reader = new Thread(() -> receive(in, queue, arrays), "neuralake-peer-" + me + "-from-" + peer);
        reader.setDaemon(true);
        reader.start();
      }
    }
  }

  /**
   * Connects worker {@code me} of a barrier job to the others, which find each other through the
   * driver's {@link Rendezvous} at {@code rendezvous}.
   */
  static PeerGroup join(int me, InetSocketAddress rendezvous, String secret) throws IOException {
    InetAddress host = InetAddress.getByName(SparkEnv.get().blockManager().blockManagerId().host());
    try (ServerSocket server = new ServerSocket(0, 64, host)) {
      List<InetSocketAddress> peers = Rendezvous.join(rendezvous, secret, me,
          new InetSocketAddress(host.getHostAddress(), server.getLocalPort()));
      return connect(me, peers, server, secret);
    }
  }

  /**
   * Connects worker {@code me} to the others, listed in worker order with their listening addresses:
   * it connects to those before it and accepts those after it on {@code server}.
   */
  static PeerGroup connect(int me, List<InetSocketAddress> peers, ServerSocket server, String secret)
      throws IOException {
    Socket[] sockets = new Socket[peers.size()];
    try {
      for (int peer = 0; peer < me; peer++) {
        Socket socket = new Socket();
        sockets[peer] = socket;
        socket.connect(peers.get(peer), CONNECT_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        DataOutputStream hello = new DataOutputStream(socket.getOutputStream());
        hello.writeUTF(secret);
        hello.writeInt(me);
        hello.flush();
      }
      server.setSoTimeout(CONNECT_TIMEOUT_MS);
      for (int accepted = me + 1; accepted < peers.size(); ) {
        Socket socket = server.accept();
        socket.setSoTimeout(CONNECT_TIMEOUT_MS);
        DataInputStream hello = new DataInputStream(socket.getInputStream());
        int peer = hello.readUTF().equals(secret) ? hello.readInt() : -1;
        if (peer <= me || peer >= peers.size() || sockets[peer] != null) {
          socket.close();
          continue;
        }
        socket.setSoTimeout(0);
        socket.setTcpNoDelay(true);
        sockets[peer] = socket;
        accepted++;
      }
      return new PeerGroup(me, sockets);
    } catch (SocketTimeoutException e) {
      closeAll(sockets);
      throw new IOException("worker " + me + " of " + peers.size() + " waited " + CONNECT_TIMEOUT_MS / 1000
          + " s for its peers to connect; a firewall between executors may block the ports they listen on", e);
    } catch (IOException | RuntimeException e) {
      closeAll(sockets);
      throw e;
    }
  }

  /**
   * Replaces {@code values} by their average over the workers that {@code contribute}, and sums the
   * losses and examples of all workers. Every worker must call it, with arrays of one length.
   */
  RoundTotals average(float[] values, boolean contribute, double lossSum, long examples) throws IOException {
    for (int peer = 0; peer < size; peer++) {
      if (peer != me) {
        send(peer, new Message(contribute, lossSum, examples), values, from(peer, values.length),
            from(peer + 1, values.length));
      }
    }
    int from = from(me, values.length);
    int to = from(me + 1, values.length);
    boolean summed = false;
    int contributors = 0;
    double lossTotal = 0;
    long examplesTotal = 0;
    for (int peer = 0; peer < size; peer++) {
      Message message = peer == me ? new Message(contribute, lossSum, examples, values, from) : receive(peer);
      lossTotal += message.lossSum;
      examplesTotal += message.examples;
      if (message.contributes) {
        contributors++;
        if (!summed) {
          if (sum.length < to - from) {
            sum = new float[to - from];
          }
          System.arraycopy(message.values, message.offset, sum, 0, to - from);
          summed = true;
        } else {
          for (int i = 0; i < to - from; i++) {
            sum[i] += message.values[message.offset + i];
          }
        }
      }
      if (peer != me) {
        spares.get(peer).add(message.values);
      }
    }
    if (summed) {
      for (int i = 0; contributors > 1 && i < to - from; i++) {
        sum[i] /= contributors;
      }
      System.arraycopy(sum, 0, values, from, to - from);
    }
    for (int peer = 0; peer < size; peer++) {
      if (peer != me) {
        send(peer, new Message(contributors > 0, 0, 0), values, from, to);
      }
    }
    for (int peer = 0; peer < size; peer++) {
      if (peer != me) {
        Message slice = receive(peer);
        if (slice.contributes) {
          System.arraycopy(slice.values, 0, values, from(peer, values.length), slice.values.length);
        }
        spares.get(peer).add(slice.values);
      }
    }
    return new RoundTotals(lossTotal, examplesTotal, contributors);
  }

  /** Where worker {@code worker}'s slice of an array of {@code length} starts. */
  private int from(int worker, int length) {
    return (int) ((long) length * worker / size);
  }

  private void send(int peer, Message header, float[] values, int from, int to) throws IOException {
    DataOutputStream stream = out[peer];
    try {
      stream.writeBoolean(header.contributes);
      stream.writeDouble(header.lossSum);
      stream.writeLong(header.examples);
      stream.writeInt(to - from);
      for (int start = from; start < to; start += CHUNK) {
        int count = Math.min(CHUNK, to - start);
        sendBuffer.clear();
        sendBuffer.asFloatBuffer().put(values, start, count);
        stream.write(sendBuffer.array(), 0, 4 * count);
      }
      stream.flush();
    } catch (IOException e) {
      throw new IOException("worker " + peer + " is gone: " + e, e);
    }
  }

  private Message receive(int peer) throws IOException {
    Message message;
    try {
      message = inbox.get(peer).take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for worker " + peer, e);
    }
    if (message.failure != null) {
      throw new IOException("worker " + peer + " is gone: " + message.failure, message.failure);
    }
    return message;
  }

  /**
   * Reads a peer's messages as they come, so that no worker's sends wait for its own reads, into
   * {@code spares} where one of the right length is left.
   */
  private static void receive(DataInputStream in, BlockingQueue<Message> queue, Spares spares) {
    ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK);
    try {
      while (true) {
        boolean contributes;
        try {
          contributes = in.readBoolean();
        } catch (EOFException closed) {
          queue.add(new Message(closed));
          return;
        }
        double lossSum = in.readDouble();
        long examples = in.readLong();
        float[] values = spares.take(in.readInt());
        for (int start = 0; start < values.length; start += CHUNK) {
          int count = Math.min(CHUNK, values.length - start);
          in.readFully(chunk.array(), 0, 4 * count);
          chunk.clear();
          chunk.asFloatBuffer().get(values, start, count);
        }
        queue.add(new Message(contributes, lossSum, examples, values, 0));
      }
    } catch (IOException e) {
      queue.add(new Message(e));
    }
  }

  @Override
  public void close() {
    closeAll(sockets);
  }

  static void closeAll(Socket[] sockets) {
    for (Socket socket : sockets) {
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing is best effort: the peer may have closed first.
        }
      }
    }
  }

  /**
   * Arrays whose values were used, to be filled again: a round receives two slices from every peer, so
   * after an epoch's first round a worker allocates none, where it allocated its whole state every round
   * (tens of megabytes for a large network).
   */
  private static final class Spares {

    private final List<float[]> arrays = new ArrayList<>();

    synchronized void add(float[] array) {
      arrays.add(array);
    }

    /** A spare array of {@code length} values, or a new one where none is left. */
    synchronized float[] take(int length) {
      for (int i = 0; i < arrays.size(); i++) {
        if (arrays.get(i).length == length) {
          return arrays.remove(i);
        }
      }
      return new float[length];
    }
  }

  /** A round's sums over all workers, and how many contributed to the average. */
  record RoundTotals(double lossSum, long examples, int contributors) {}

  /** An array slice from a peer, from {@code offset} on, with its header; or why none will come. */
  private record Message(boolean contributes, double lossSum, long examples, float[] values, int offset,
                         IOException failure) {

    Message(boolean contributes, double lossSum, long examples) {
      this(contributes, lossSum, examples, null, 0, null);
    }

    Message(boolean contributes, double lossSum, long examples, float[] values, int offset) {
      this(contributes, lossSum, examples, values, offset, null);
    }

    Message(IOException failure) {
      this(false, 0, 0, null, 0, failure);
    }
  }
}
