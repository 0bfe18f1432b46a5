package io.neuralake.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the workers of one barrier job learn each other's addresses: a socket on the driver that
 * each worker tells its index and listening address, and that answers each one, once all have
 * come, with every worker's address in worker order. Spark's own {@code BarrierTaskContext.allGather}
 * does the same but waits at least a second, which an epoch of a small network would feel. A
 * connection that does not open with the fit's secret is dropped.
 */
final class Rendezvous implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Rendezvous.class);

  private final ServerSocket server;

  /** Listens on {@code host} (the driver's address) for {@code workers} workers, in the background. */
  Rendezvous(String host, int workers, String secret) throws IOException {
    server = new ServerSocket(0, Math.max(50, workers), InetAddress.getByName(host));
    Thread thread = new Thread(() -> serve(workers, secret), "neuralake-rendezvous-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** Where workers find this rendezvous. */
  InetSocketAddress address() {
    return new InetSocketAddress(server.getInetAddress().getHostAddress(), server.getLocalPort());
  }

  /**
   * Worker {@code me}'s side: tells the rendezvous at {@code at} its own {@code address} and returns
   * every worker's address, in worker order.
   */
  static List<InetSocketAddress> join(InetSocketAddress at, String secret, int me, InetSocketAddress address)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(at, PeerGroup.CONNECT_TIMEOUT_MS);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeUTF(secret);
      out.writeInt(me);
      out.writeUTF(address.getHostString());
      out.writeInt(address.getPort());
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int workers = in.readInt();
      List<InetSocketAddress> addresses = new ArrayList<>();
      for (int worker = 0; worker < workers; worker++) {
        addresses.add(new InetSocketAddress(in.readUTF(), in.readInt()));
      }
      return addresses;
    }
  }

  private void serve(int workers, String secret) {
    Socket[] sockets = new Socket[workers];
    String[] hosts = new String[workers];
    int[] ports = new int[workers];
    try {
      for (int joined = 0; joined < workers; ) {
        Socket socket = server.accept();
        socket.setSoTimeout(PeerGroup.CONNECT_TIMEOUT_MS);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int worker = in.readUTF().equals(secret) ? in.readInt() : -1;
        if (worker < 0 || worker >= workers || sockets[worker] != null) {
          socket.close();
          continue;
        }
        hosts[worker] = in.readUTF();
        ports[worker] = in.readInt();
        sockets[worker] = socket;
        joined++;
      }
      for (Socket socket : sockets) {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(workers);
        for (int worker = 0; worker < workers; worker++) {
          out.writeUTF(hosts[worker]);
          out.writeInt(ports[worker]);
        }
        out.flush();
      }
    } catch (IOException e) {
      // Closed by the driver when the job ended or failed first; the workers' own errors tell why.
      LOG.debug("rendezvous ended before all {} workers joined", workers, e);
    } finally {
      PeerGroup.closeAll(sockets);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
