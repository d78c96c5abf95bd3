import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket, type TlsOptions } from 'node:tls';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/** A TCP server on loopback (a free port unless given) that accepts and closes. */
export async function listenTcp(host = '127.0.0.1', port = 0): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** A port that was free a moment ago: bound, then released. Nothing listens there. */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const { server, port } = await listenTcp(host);
  await closeServer(server);
  return port;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A UDP echo server on loopback (a free port unless given). */
export async function listenUdpEcho(host = '127.0.0.1', port = 0): Promise<{ socket: UdpSocket; port: number }> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (message, rinfo) => socket.send(message.length > 0 ? message : Buffer.from('pong'), rinfo.port, rinfo.address));
  await new Promise<void>((resolve) => socket.bind(port, host, () => resolve()));
  return { socket, port: socket.address().port };
}

export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const { socket, port } = await listenUdpEcho(host);
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/* Scriptable service servers for the checkers (SMTP, IMAP4, POP3, HTTP, TLS). */

export interface Running {
  readonly port: number;
  close(): Promise<void>;
  /**
   * Resolves once every connection accepted so far has closed: what the client sent last (a
   * QUIT it did not wait to see answered) has been read by then.
   */
  settled(): Promise<void>;
}

/** Where a test server listens: 127.0.0.1 and a free port unless given. */
export interface ListenAt {
  readonly host?: string;
  readonly port?: number;
}

/** Listens on 127.0.0.1, port 0 (or `at`); `close` destroys every connection it accepted. */
export async function listen(server: Server, at: ListenAt = {}): Promise<Running> {
  const sockets = new Set<Socket>();
  let waiters: (() => void)[] = [];
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size > 0) return;
      for (const waiter of waiters) waiter();
      waiters = [];
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port ?? 0, at.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    settled: () => (sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export type CertName = 'mail' | 'wrong-name' | 'expired' | 'self-signed';

export function certificate(name: CertName): KeyPair {
  const dir = join(ROOT, 'fixtures', 'certs');
  return { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.pem`), 'utf8') };
}

export const TEST_CA = (): string => readFileSync(join(ROOT, 'fixtures', 'certs', 'ca.pem'), 'utf8');

/** Calls `onLine` for each CRLF/LF line the client sends; returns a function that stops reading. */
export function onLines(socket: Socket | TLSSocket, onLine: (line: string) => void): () => void {
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('latin1');
    for (let lf = buffered.indexOf('\n'); lf !== -1; lf = buffered.indexOf('\n')) {
      const line = buffered.slice(0, lf).replace(/\r$/, '');
      buffered = buffered.slice(lf + 1);
      onLine(line);
    }
  };
  socket.on('data', onData);
  return () => socket.off('data', onData);
}

const crlf = (lines: readonly string[]): string => lines.map((line) => `${line}\r\n`).join('');

/** A recorded SMTP conversation (fixtures/smtp/*.json) and how the fake server behaves around it. */
export interface SmtpScript {
  readonly greeting: readonly string[];
  readonly ehlo: readonly string[];
  readonly starttls?: readonly string[];
  readonly ehloAfterTls?: readonly string[];
  readonly quit?: readonly string[];
  /** Answer EHLO with 502 (HELO then works). */
  readonly rejectEhlo?: boolean;
  /** After the STARTTLS reply: a real handshake (default), or silence. */
  readonly handshake?: 'normal' | 'never';
  /** `handshake` per connection, in the order they were accepted (then `handshake` again). */
  readonly handshakes?: readonly ('normal' | 'never')[];
  /** Bytes sent right after the STARTTLS reply, before the handshake. */
  readonly afterStarttls?: string;
  readonly tls?: KeyPair;
  /** More server TLS settings (minVersion, ciphers) for the STARTTLS handshake. */
  readonly tlsOptions?: TlsOptions;
  /** At most this many sessions at once: one more is greeted with `busy` and closed (a per-client connection limit). */
  readonly maxSessions?: number;
  readonly busy?: readonly string[];
}

/** What Exchange 2016 says when a source has too many connections open (MaxInboundConnectionPerSource). */
export const SMTP_BUSY = ['421 4.3.2 The maximum number of concurrent connections has exceeded a limit, closing transmission channel'];

export function smtpFixture(name: string): SmtpScript {
  return JSON.parse(readFileSync(join(ROOT, 'fixtures', 'smtp', `${name}.json`), 'utf8')) as SmtpScript;
}

export interface ScriptedServer extends Running {
  /** Every command every client sent, in order. */
  readonly commands: string[];
  /** The commands of each connection, in the order the connections were accepted. */
  readonly sessions: string[][];
  /** `N:connect`, `N:<command line>` and `N:close` for session N, in the order they happened. */
  readonly timeline: string[];
}

/** Sessions, their commands and their timeline, as a scripted server records them. */
function recorder(): Pick<ScriptedServer, 'commands' | 'sessions' | 'timeline'> & { open(socket: Socket): (line: string) => void; openCount(): number } {
  const commands: string[] = [];
  const sessions: string[][] = [];
  const timeline: string[] = [];
  let open = 0;
  return {
    commands,
    sessions,
    timeline,
    openCount: () => open,
    open(socket) {
      const index = sessions.length;
      const session: string[] = [];
      sessions.push(session);
      timeline.push(`${index}:connect`);
      open += 1;
      socket.on('close', () => {
        open -= 1;
        timeline.push(`${index}:close`);
      });
      return (line) => {
        commands.push(line);
        session.push(line);
        timeline.push(`${index}:${line}`);
      };
    },
  };
}

export async function startSmtpServer(script: SmtpScript, at: ListenAt = {}): Promise<ScriptedServer> {
  const { open, openCount, ...recorded } = recorder();
  const server = createServer((socket) => {
    let stream: Socket | TLSSocket = socket;
    let secure = false;
    const record = open(socket);
    const index = recorded.sessions.length - 1;
    if (script.maxSessions !== undefined && openCount() > script.maxSessions) {
      socket.end(crlf(script.busy ?? SMTP_BUSY));
      return;
    }
    socket.write(crlf(script.greeting));
    const handle = (line: string): void => {
      record(line);
      const verb = line.split(' ')[0]?.toUpperCase();
      if (verb === 'EHLO') {
        stream.write(script.rejectEhlo ? '502 5.5.2 Command not recognized\r\n' : crlf(secure ? (script.ehloAfterTls ?? script.ehlo) : script.ehlo));
      } else if (verb === 'HELO') stream.write(`${(script.ehlo[0] ?? '250 x').replace(/^250-/, '250 ')}\r\n`);
      else if (verb === 'STARTTLS' && script.starttls && !secure) {
        stop();
        stream.write(crlf(script.starttls) + (script.afterStarttls ?? ''));
        if ((script.handshakes?.[index] ?? script.handshake) === 'never') return;
        const tlsSocket = new TLSSocket(socket, { isServer: true, ...(script.tls ?? certificate('mail')), ...script.tlsOptions });
        tlsSocket.on('error', () => undefined);
        stream = tlsSocket;
        secure = true;
        stop = onLines(tlsSocket, handle);
      } else if (verb === 'QUIT') {
        stream.end(crlf(script.quit ?? ['221 Bye']));
      } else stream.write('502 5.5.2 Command not recognized\r\n');
    };
    let stop = onLines(socket, handle);
  });
  return { ...(await listen(server, at)), ...recorded };
}

/** A server that does whatever `onConnection` does with each raw socket (the hostile ones). */
export function startRawServer(onConnection: (socket: Socket) => void, at: ListenAt = {}): Promise<Running> {
  return listen(createServer(onConnection), at);
}

/** Implicit TLS on connect; `onSecure` then speaks the protocol (or nothing). */
export function startTlsServer(options: TlsOptions, onSecure: (socket: TLSSocket) => void = (s) => s.end()): Promise<Running> {
  const server = createTlsServer(options, onSecure);
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

export function startHttpServer(handler: RequestListener, tls?: TlsOptions): Promise<Running> {
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
  server.on('tlsClientError', () => undefined);
  return listen(server);
}

/** A line protocol answered by `respond` (IMAP, POP3); `null` ends the connection, `'starttls'` upgrades. */
export interface LineScript {
  readonly greeting: string;
  respond(line: string, secure: boolean): string | null | { starttls: string };
  readonly tls?: KeyPair;
  /** At most this many sessions at once: one more gets `busy` (default `* BYE ...`) and is closed. */
  readonly maxSessions?: number;
  readonly busy?: string;
}

export async function startLineServer(script: LineScript, implicitTls?: TlsOptions): Promise<ScriptedServer> {
  const { open, openCount, ...recorded } = recorder();
  const serve = (first: Socket | TLSSocket, secureFromStart: boolean): void => {
    let stream = first;
    let secure = secureFromStart;
    const record = open(first);
    if (script.maxSessions !== undefined && openCount() > script.maxSessions) {
      stream.end(`${script.busy ?? '* BYE too many connections from your address'}\r\n`);
      return;
    }
    stream.write(`${script.greeting}\r\n`);
    const handle = (line: string): void => {
      record(line);
      const answer = script.respond(line, secure);
      if (answer === null) {
        stream.end();
        return;
      }
      if (typeof answer === 'string') {
        stream.write(answer);
        return;
      }
      stop();
      stream.write(answer.starttls);
      const tlsSocket = new TLSSocket(stream as Socket, { isServer: true, ...(script.tls ?? certificate('mail')) });
      tlsSocket.on('error', () => undefined);
      stream = tlsSocket;
      secure = true;
      stop = onLines(tlsSocket, handle);
    };
    let stop = onLines(stream, handle);
  };
  const server = implicitTls
    ? createTlsServer({ ...implicitTls }, (socket) => serve(socket, true))
    : createServer((socket) => serve(socket, false));
  server.on('tlsClientError', () => undefined);
  return { ...(await listen(server)), ...recorded };
}
