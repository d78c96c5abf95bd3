import { connect, createServer, type Socket } from 'node:net';
import { connect as connectTls, createServer as createTlsServer } from 'node:tls';
import { EsmtpInspection } from './esmtp-inspection.js';
import { listen, type KeyPair, type Listener } from './listener.js';

/** Where a middlebox forwards to. */
export interface Upstream {
  readonly address: string;
  readonly port: number;
}

/** Calls `onLine` for each CRLF-ended line of a socket (latin1: bytes pass unchanged). */
function eachLine(socket: Socket, onLine: (line: string) => void): void {
  let buffer = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, end).replace(/\r$/, ''));
      buffer = buffer.slice(end + 1);
    }
    if (buffer.length > 4096) socket.destroy();
  });
}

function pair(client: Socket, server: Socket): void {
  const end = () => {
    client.destroy();
    server.destroy();
  };
  for (const socket of [client, server]) {
    socket.on('error', end);
    socket.on('close', end);
  }
  client.setTimeout(30_000, end);
}

/**
 * An SMTP-inspecting firewall as a proxy (the lab's fault): every line from the server goes
 * through `EsmtpInspection` (banner masked, unknown EHLO keywords X'd), and STARTTLS from the
 * client is answered by the proxy itself with 500, never forwarded.
 */
export function startInspectingProxy(address: string, port: number, upstream: Upstream): Promise<Listener> {
  const server = createServer((client) => {
    const inspection = new EsmtpInspection();
    const toServer = connect(upstream.port, upstream.address);
    pair(client, toServer);
    eachLine(toServer, (line) => client.write(`${inspection.fromServer(line)}\r\n`, 'latin1'));
    eachLine(client, (line) => {
      const step = inspection.fromClient(line);
      if ('answer' in step) client.write(`${step.answer}\r\n`);
      else toServer.write(`${step.forward}\r\n`, 'latin1');
    });
  });
  return listen(server, address, port);
}

/**
 * A TLS-intercepting proxy (the lab's fault): terminates TLS with its own certificate, opens
 * its own TLS connection to the real server, and passes the plaintext between them.
 */
export function startTlsInterceptor(address: string, port: number, upstream: Upstream, keyPair: KeyPair): Promise<Listener> {
  const server = createTlsServer({ ...keyPair }, (client) => {
    // The interceptor trusts whatever the server presents: that is what makes it a fault.
    const toServer = connectTls({ host: upstream.address, port: upstream.port, rejectUnauthorized: false });
    pair(client, toServer);
    client.pipe(toServer);
    toServer.pipe(client);
  });
  server.on('tlsClientError', () => undefined);
  return listen(server, address, port);
}
