// A TCP forwarder on a fixed loopback port, pointed at whichever server is current: a client keeps one URL
// while the server behind it is killed and restarted on another port (as a supervisor restarts a server).
import net from "node:net";

export interface TcpProxy {
  url: string;
  /** where new connections go from now on; open ones are cut (as the killed server cut them) */
  target(url: string): void;
  close(): Promise<void>;
}

export async function startTcpProxy(initial: string): Promise<TcpProxy> {
  let upstream = new URL(initial);
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const remote = net.connect(Number(upstream.port), upstream.hostname);
    for (const s of [client, remote]) {
      // as the server's and the client's own sockets do: without it, Nagle holds a small frame back until the
      // peer's delayed ACK (up to 40 ms on Linux), and every request-reply through the proxy waits for that
      s.setNoDelay(true);
      open.add(s);
      s.on("close", () => open.delete(s));
      s.on("error", () => undefined); // a killed peer resets; the other side is destroyed below
    }
    client.pipe(remote).pipe(client);
    client.on("close", () => remote.destroy());
    remote.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    target(url) {
      upstream = new URL(url);
      for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
