import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import DNS from 'dns2';
import type { Packet as DnsPacket, Resource } from 'dns2';
import { releaseTcp, releaseUdp } from './release.js';
import { abortText, errorCode } from './socket-errors.js';

const { Packet } = DNS;

export type DnsTransport = 'udp' | 'tcp';
export type DnsRecordType = 'A' | 'AAAA' | 'MX' | 'SOA';

export interface DnsServer {
  readonly address: string;
  readonly port: number;
}

export interface DnsAnswer {
  readonly rcode: number;
  readonly truncated: boolean;
  readonly answers: readonly Resource[];
  readonly rttMs: number;
}

/** Why a query got no answer. `connected` is set when a TCP connection was accepted first. */
export class DnsQueryError extends Error {
  override readonly name = 'DnsQueryError';
  constructor(
    message: string,
    readonly code: string,
    readonly connected = false,
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

function queryBytes(name: string, type: DnsRecordType): { id: number; bytes: Buffer } {
  const query = new Packet();
  query.header.id = randomInt(0x10000);
  query.header.rd = 1;
  query.questions.push({ name, type: Packet.TYPE[type], class: Packet.CLASS.IN } as DnsPacket['questions'][number]);
  return { id: query.header.id, bytes: query.toBuffer() };
}

function toAnswer(packet: DnsPacket, started: number): DnsAnswer {
  return {
    rcode: packet.header.rcode,
    truncated: packet.header.tc === 1,
    answers: packet.answers,
    rttMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}

function parseReply(bytes: Buffer, id: number): DnsPacket | undefined {
  try {
    const packet = Packet.parse(bytes);
    return packet.header.id === id && packet.header.qr === 1 ? packet : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One query, one socket, one deadline: over UDP on a connected socket (so ICMP port
 * unreachable surfaces as ECONNREFUSED), or over TCP with length-prefixed messages.
 * Rejects with DnsQueryError (ETIMEDOUT, ECONNREFUSED, ABORT_ERR, ...).
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
    signal.addEventListener('abort', onAbort, { once: true });
    release = start({ ...queryBytes(name, type), started: performance.now(), pending });
    if (settled) release();
  });
}

function socketError(error: unknown, connected = false): DnsQueryError {
  const code = errorCode(error) ?? 'EDNS';
  return new DnsQueryError(error instanceof Error ? error.message : String(error), code, connected);
}

function queryUdp(server: DnsServer, name: string, type: DnsRecordType, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  const silence = (): DnsQueryError => new DnsQueryError(`no DNS answer over udp within ${timeoutMs} ms`, 'ETIMEDOUT');
  return exchange(name, type, timeoutMs, signal, silence, ({ id, bytes, started, pending }) => {
    const socket = createSocket(isIP(server.address) === 6 ? 'udp6' : 'udp4');
    socket.on('error', (error) => pending.settle(socketError(error)));
    socket.on('message', (message) => {
      const packet = parseReply(message, id);
      if (packet) pending.settle(toAnswer(packet, started));
    });
    socket.connect(server.port, server.address, () => socket.send(bytes));
    return () => releaseUdp(socket);
  });
}

function queryTcp(server: DnsServer, name: string, type: DnsRecordType, timeoutMs: number, signal: AbortSignal): Promise<DnsAnswer> {
  let connected = false;
  const silence = (): DnsQueryError =>
    connected
      ? new DnsQueryError(`connected, but no DNS answer over tcp within ${timeoutMs} ms`, 'ETIMEDOUT', true)
      : new DnsQueryError(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT');
  return exchange(name, type, timeoutMs, signal, silence, ({ id, bytes, started, pending }) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    socket.on('error', (error) => pending.settle(socketError(error, connected)));
    socket.on('connect', () => {
      connected = true;
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      socket.write(Buffer.concat([length, bytes]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > MAX_TCP_MESSAGE) return pending.settle(new DnsQueryError('oversized DNS message over tcp', 'EPROTO', true));
      if (received.length < 2) return;
      const expected = received.readUInt16BE(0);
      if (received.length < 2 + expected) return;
      const packet = parseReply(received.subarray(2, 2 + expected), id);
      pending.settle(packet ? toAnswer(packet, started) : new DnsQueryError('not a DNS answer to the query', 'EPROTO', true));
    });
    socket.on('end', () => pending.settle(new DnsQueryError('connection closed before a DNS answer', 'ECONNRESET', true)));
    socket.connect({ host: server.address, port: server.port });
    return () => releaseTcp(socket);
  });
}
