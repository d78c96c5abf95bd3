import { createSocket, type RemoteInfo } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP, Socket, SocketAddress } from 'node:net';
import { performance } from 'node:perf_hooks';
import { encodeQuery, MalformedMessage, parseReply, replyId, type DnsRecord, type DnsRecordType } from './dns-message.js';
import { localReason, missingRoute } from './local-route.js';
import { releaseTcp, releaseUdp } from './release.js';
import { abortText, errorCode } from './socket-errors.js';

export type { DnsRecord, DnsRecordType } from './dns-message.js';
export type DnsTransport = 'udp' | 'tcp';

export interface DnsServer {
  readonly address: string;
  readonly port: number;
}

export interface DnsAnswer {
  readonly rcode: number;
  readonly truncated: boolean;
  readonly answers: readonly DnsRecord[];
  readonly rttMs: number;
}

/**
 * Why a query got no answer. `reached`: the server was there (a TCP connection accepted, or
 * a datagram from it that was not an answer). `local`: this machine refused to send (no
 * route, its own firewall), so nothing is known about the server.
 */
export class DnsQueryError extends Error {
  override readonly name = 'DnsQueryError';
  constructor(
    message: string,
    readonly code: string,
    readonly reached = false,
    readonly local = false,
  ) {
    super(message);
  }
}

/** A DNS response is at most 64 KiB over TCP; a server sending more is not speaking DNS. */
const MAX_TCP_MESSAGE = 0xffff + 2;

/** `198.18.0.53`, `198.18.0.53:5353`, `::1`, `[::1]:5353`; port 53 unless given. */
export function parseDnsServer(text: string): DnsServer | undefined {
  const trimmed = text.trim();
  if (isIP(trimmed)) return { address: trimmed, port: 53 };
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|(\d{1,3}(?:\.\d{1,3}){3})):(\d{1,5})$/.exec(trimmed);
  const address = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!address || !isIP(address) || !(port > 0 && port < 65536)) return undefined;
  return { address, port };
}

const canonical = (address: string): string => (isIP(address) === 6 ? new SocketAddress({ address, family: 'ipv6' }).address : address);

/**
 * One query, one socket, one deadline: over UDP on a connected socket (so ICMP port
 * unreachable surfaces as ECONNREFUSED), or over TCP with length-prefixed messages. A reply's
 * source, size and ID are checked before it is parsed, and the parse is bounded by its length.
 * Rejects with DnsQueryError (ETIMEDOUT, ECONNREFUSED, EPROTO, ABORT_ERR, ...).
 */
export function dnsQuery(
  server: DnsServer,
  name: string,
  type: DnsRecordType,
  transport: DnsTransport,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<DnsAnswer> {
  return transport === 'udp' ? queryUdp(server, name, type, timeoutMs, signal) : queryTcp(server, name, type, timeoutMs, signal);
}

interface Pending {
  settle(outcome: DnsAnswer | DnsQueryError): void;
}

interface Exchange {
  readonly id: number;
  readonly bytes: Buffer;
  readonly started: number;
  readonly pending: Pending;
  /** Parses a reply whose ID is ours: the answer, or the query error it amounts to. */
  answer(reply: Buffer): DnsAnswer | DnsQueryError;
}

/**
 * One query under one deadline: `start` opens the socket and sends; it returns how to
 * release the socket, and settles `pending` with the answer or an error. `silence` names
 * the timeout once it fires.
 */
function exchange(
  name: string,
  type: DnsRecordType,
  timeoutMs: number,
  signal: AbortSignal,
  silence: () => DnsQueryError,
  start: (exchange: Exchange) => () => void,
): Promise<DnsAnswer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new DnsQueryError(abortText(signal), 'ABORT_ERR'));
    const id = randomInt(0x10000);
    let bytes: Buffer;
    try {
      bytes = encodeQuery(id, name, type);
    } catch (error) {
      return reject(new DnsQueryError(error instanceof Error ? error.message : String(error), 'EINVAL', false, true));
    }
    let settled = false;
    let release = (): void => undefined;
    const onAbort = (): void => pending.settle(new DnsQueryError(abortText(signal), 'ABORT_ERR'));
    const timer = setTimeout(() => pending.settle(silence()), timeoutMs);
    const pending: Pending = {
      settle(outcome) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        release();
        if (outcome instanceof DnsQueryError) reject(outcome);
        else resolve(outcome);
      },
    };
    const started = performance.now();
    const answer = (reply: Buffer): DnsAnswer | DnsQueryError => {
      try {
        const parsed = parseReply(reply, { name, type });
        return { rcode: parsed.rcode, truncated: parsed.truncated, answers: parsed.answers, rttMs: Math.round((performance.now() - started) * 1000) / 1000 };
      } catch (error) {
        if (!(error instanceof MalformedMessage)) throw error;
        return new DnsQueryError(`not a DNS answer: ${error.message}`, 'EPROTO', true);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    release = start({ id, bytes, started, pending, answer });
    if (settled) release();
  });
}

function socketError(error: unknown, reached: boolean): DnsQueryError {
  const code = errorCode(error) ?? 'EDNS';
  return new DnsQueryError(error instanceof Error ? error.message : String(error), code, reached);
}

/** An error raised by this machine before anything was sent. */
function localError(error: unknown, server: DnsServer): DnsQueryError {
  const code = errorCode(error) ?? 'EINVAL';
  const reason = localReason(code) ?? (error instanceof Error ? error.message : String(error));
  return new DnsQueryError(`${server.address}: ${reason} (${code})`, code, false, true);
}

function queryUdp(server: DnsServer, name: string, type: DnsRecordType, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  const silence = (): DnsQueryError => new DnsQueryError(`no DNS answer over udp within ${timeoutMs} ms`, 'ETIMEDOUT');
  const source = canonical(server.address);
  return exchange(name, type, timeoutMs, signal, silence, ({ id, bytes, pending, answer }) => {
    const socket = createSocket(isIP(server.address) === 6 ? 'udp6' : 'udp4');
    // After the connect, the socket's errors are the network's answers (ICMP).
    socket.on('error', (error) => pending.settle(socketError(error, false)));
    socket.on('message', (message: Buffer, from: RemoteInfo) => {
      // A spoofer's reply costs a comparison: only the server's own address and port, with our ID, are read.
      if (from.port !== server.port || canonical(from.address) !== source || replyId(message) !== id) return;
      pending.settle(answer(message));
    });
    const sent = (error?: Error | null): void => {
      if (error) pending.settle(localError(error, server));
    };
    try {
      socket.connect(server.port, server.address, (error?: Error) => {
        if (error) return pending.settle(localError(error, server));
        try {
          socket.send(bytes, sent);
        } catch (thrown) {
          sent(thrown as Error);
        }
      });
    } catch (error) {
      pending.settle(localError(error, server));
    }
    return () => releaseUdp(socket);
  });
}

function queryTcp(server: DnsServer, name: string, type: DnsRecordType, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  let connected = false;
  const silence = (): DnsQueryError =>
    connected
      ? new DnsQueryError(`connected, but no DNS answer over tcp within ${timeoutMs} ms`, 'ETIMEDOUT', true)
      : new DnsQueryError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT');
  return exchange(name, type, timeoutMs, signal, silence, ({ id, bytes, pending, answer }) => {
    const socket = new Socket();
    const chunks: Buffer[] = [];
    let received = 0;
    let expected: number | undefined;
    socket.on('error', (error) => {
      if (connected) return pending.settle(socketError(error, true));
      const code = errorCode(error);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EADDRNOTAVAIL') return pending.settle(localError(error, server));
      if (code !== 'ENETUNREACH' && code !== 'EHOSTUNREACH') return pending.settle(socketError(error, false));
      // Raised by this machine's routing table, or by a router's ICMP: only a route lookup tells.
      void missingRoute(server.address).then((missing) => pending.settle(missing ? localError(error, server) : socketError(error, false)));
    });
    socket.on('connect', () => {
      connected = true;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      socket.write(Buffer.concat([length, bytes]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received > MAX_TCP_MESSAGE) return pending.settle(new DnsQueryError('oversized DNS message over tcp', 'EPROTO', true));
      // Joined twice at most (for the length, then for the message): a server sending a byte at a time costs no more.
      if (expected === undefined) {
        if (received < 2) return;
        const head = Buffer.concat(chunks, received);
        chunks.splice(0, chunks.length, head);
        expected = head.readUInt16BE(0);
      }
      if (received < 2 + expected) return;
      const reply = Buffer.concat(chunks, received).subarray(2, 2 + expected);
      if (replyId(reply) !== id) return pending.settle(new DnsQueryError('not a DNS answer to the query (wrong ID or too short)', 'EPROTO', true));
      pending.settle(answer(reply));
    });
    socket.on('end', () => pending.settle(new DnsQueryError('connection closed before a DNS answer', 'ECONNRESET', true)));
    socket.connect({ host: server.address, port: server.port });
    return () => releaseTcp(socket);
  });
}
