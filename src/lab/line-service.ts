import { createServer, type Socket } from 'node:net';
import { TLSSocket, createServer as createTlsServer } from 'node:tls';
import { listen, type KeyPair, type Listener } from './listener.js';

/** One client connection to a line-based service (SMTP, IMAP4, POP3). */
export interface LineSession {
  readonly remoteAddress: string;
  readonly secure: boolean;
  /** Sends one or more lines; each gets CRLF. */
  send(...lines: string[]): void;
  /** Switches to TLS (after the service said go ahead); input already buffered is dropped. */
  startTls(): void;
  close(): void;
}

export interface LineProtocol {
  greet(session: LineSession): void;
  line(session: LineSession, line: string): void;
}

export interface LineServiceOptions {
  readonly address: string;
  readonly port: number;
  readonly keyPair: KeyPair;
  /** TLS from the first byte (993, 995) instead of STARTTLS. */
  readonly implicitTls?: boolean;
}

const MAX_LINE = 4096;
const IDLE_MS = 30_000;

function serve(socket: Socket, protocol: LineProtocol, keyPair: KeyPair, secureFromStart: boolean): void {
  let current: Socket = socket;
  let secure = secureFromStart;
  let buffer = '';
  let closed = false;
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());

  const session: LineSession = {
    remoteAddress: socket.remoteAddress ?? '',
    get secure() {
      return secure;
    },
    send: (...lines) => {
      if (!closed) current.write(lines.map((line) => `${line}\r\n`).join(''));
    },
    startTls: () => {
      current.off('data', onData);
      buffer = '';
      const upgraded = new TLSSocket(current, { isServer: true, ...keyPair });
      upgraded.on('error', () => socket.destroy());
      upgraded.on('data', onData);
      current = upgraded;
      secure = true;
    },
    close: () => {
      closed = true;
      current.end();
    },
  };

  function onData(chunk: Buffer): void {
    buffer += chunk.toString('latin1');
    let end: number;
    while (!closed && (end = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, '');
      buffer = buffer.slice(end + 1);
      protocol.line(session, line);
    }
    if (buffer.length > MAX_LINE) socket.destroy();
  }

  current.on('data', onData);
  protocol.greet(session);
}

/** Starts a line-based service with STARTTLS support, or implicit TLS. */
export function startLineService(protocol: LineProtocol, options: LineServiceOptions): Promise<Listener> {
  const server = options.implicitTls
    ? createTlsServer(options.keyPair, (socket) => serve(socket, protocol, options.keyPair, true))
    : createServer((socket) => serve(socket, protocol, options.keyPair, false));
  return listen(server, options.address, options.port);
}
