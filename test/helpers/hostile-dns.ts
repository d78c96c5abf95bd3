import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** Replies no honest DNS server sends, each built for the query's ID (read from its first two bytes). */
export type HostileReply = (query: Buffer) => Buffer;

const header = (id: number, counts: [number, number, number, number], flags = 0x8180): Buffer => {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt16BE(id, 0);
  bytes.writeUInt16BE(flags, 2);
  counts.forEach((count, i) => bytes.writeUInt16BE(count, 4 + 2 * i));
  return bytes;
};
const idOf = (query: Buffer): number => query.readUInt16BE(0);

/** 12 bytes claiming 65535 records in every section. */
export const countsBomb =
  (idShift = 0): HostileReply =>
  (query) =>
    header((idOf(query) + idShift) & 0xffff, [0xffff, 0xffff, 0xffff, 0xffff]);

/**
 * `size` bytes: a first record whose data is a chain of compression pointers, each to the one
 * before it, and then records whose names point at the chain's far end.
 */
export function pointerChainMessage(id: number, size = 0xffff, pairs = 16_000): Buffer {
  const records = Math.floor((size - 12 - 11 - 2 * pairs) / 12);
  const chain = Buffer.alloc(2 * pairs);
  // The first record's name (the root) is at byte 12; its data starts at byte 23.
  for (let i = 0; i < pairs; i += 1) chain.writeUInt16BE(0xc000 | (i === 0 ? 12 : 23 + 2 * (i - 1)), 2 * i);
  const first = Buffer.concat([Buffer.from([0, 0x03, 0xe7, 0, 1, 0, 0, 0, 60]), Buffer.from([chain.length >> 8, chain.length & 0xff]), chain]);
  const end = 23 + 2 * (pairs - 1);
  const later = Buffer.alloc(12 * records);
  for (let i = 0; i < records; i += 1) {
    later.writeUInt16BE(0xc000 | end, 12 * i);
    later.writeUInt16BE(1, 12 * i + 2);
    later.writeUInt16BE(1, 12 * i + 4);
    later.writeUInt16BE(0, 12 * i + 10);
  }
  return Buffer.concat([header(id, [0, 1 + records, 0, 0]), first, later]);
}

export const pointerChain: HostileReply = (query) => pointerChainMessage(idOf(query));

/** One answer whose name is a compression pointer to itself, and one pair of pointers to each other. */
export function pointerLoopMessage(id: number, pair = false): Buffer {
  if (!pair) return Buffer.concat([header(id, [0, 1, 0, 0]), Buffer.from([0xc0, 12]), Buffer.alloc(10)]);
  // Record 1 at 12: root name, type 999, 2 bytes of data holding a pointer to byte 25, where record 2's name points back to 23.
  return Buffer.concat([header(id, [0, 2, 0, 0]), Buffer.from([0, 0x03, 0xe7, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 25, 0xc0, 23]), Buffer.alloc(10)]);
}

export const pointerLoop: HostileReply = (query) => pointerLoopMessage(idOf(query));

/** The start of a real-looking answer, cut off in the middle of its record (and no TC bit). */
export const truncatedReply: HostileReply = (query) => {
  const question = query.subarray(12);
  return Buffer.concat([header(idOf(query), [1, 1, 0, 0]), question, Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0])]);
};

export interface HostileDnsOptions {
  /** Keep sending the reply (UDP: a batch a turn of the event loop) until the client goes away. */
  readonly flood?: boolean;
  /** UDP: send the reply from another socket (a wrong source port). */
  readonly fromOtherPort?: boolean;
  readonly host?: string;
}

export interface RunningHostileDns {
  /** The same port on UDP and TCP. */
  readonly port: number;
  /** Queries received, per transport. */
  readonly queries: { udp: number; tcp: number };
  close(): Promise<void>;
}

const MAX_FLOODS = 4;
const FLOOD_BATCH = 8;

function bindBeside(socket: UdpSocket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/** A DNS server on loopback (UDP and TCP, one port) that answers every query with `reply`. */
export async function startHostileDns(reply: HostileReply, options: HostileDnsOptions = {}): Promise<RunningHostileDns> {
  // The TCP port picked may be taken on UDP (another engineer's test): try another.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(reply, options);
    } catch (error) {
      if (attempt >= 5 || (error as { code?: string }).code !== 'EADDRINUSE') throw error;
    }
  }
}

async function startOnce(reply: HostileReply, options: HostileDnsOptions): Promise<RunningHostileDns> {
  const host = options.host ?? '127.0.0.1';
  const family = host.includes(':') ? 'udp6' : 'udp4';
  const queries = { udp: 0, tcp: 0 };
  const timers = new Set<NodeJS.Immediate>();
  const sockets = new Set<Socket>();
  const tcp: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      queries.tcp += 1;
      const message = reply(received.subarray(2, 2 + received.readUInt16BE(0)));
      const length = Buffer.alloc(2);
      length.writeUInt16BE(Math.min(message.length, 0xffff));
      const framed = Buffer.concat([length, message.subarray(0, 0xffff)]);
      const pump = (): void => {
        if (socket.destroyed) return;
        if (!options.flood) return void socket.write(framed);
        if (socket.write(framed)) setImmediate(pump);
        else socket.once('drain', pump);
      };
      pump();
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(0, host, () => resolve());
  });
  const port = (tcp.address() as AddressInfo).port;
  const udp: UdpSocket = createSocket(family);
  const other: UdpSocket = createSocket(family);
  for (const socket of [udp, other]) socket.on('error', () => undefined);
  let closed = false;
  udp.on('message', (query: Buffer, from: RemoteInfo) => {
    if (query.length < 12) return;
    queries.udp += 1;
    const message = reply(query).subarray(0, 65_507);
    const sender = options.fromOtherPort ? other : udp;
    const send = (): void => sender.send(message, from.port, from.address, () => undefined);
    send();
    // A few floods at once are enough to keep a client busy, and leave the machine's cores to the others.
    if (!options.flood || timers.size >= MAX_FLOODS) return;
    const batch = (): void => {
      timers.delete(timer);
      if (closed) return;
      for (let i = 0; i < FLOOD_BATCH; i += 1) send();
      timer = setImmediate(batch);
      timers.add(timer);
    };
    let timer = setImmediate(batch);
    timers.add(timer);
  });
  try {
    await bindBeside(udp, port, host);
  } catch (error) {
    udp.close();
    other.close();
    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    throw error;
  }
  await new Promise<void>((resolve) => other.bind(0, host, () => resolve()));
  return {
    port,
    queries,
    close: async () => {
      closed = true;
      for (const timer of timers) clearImmediate(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await Promise.all([new Promise<void>((resolve) => tcp.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve())), new Promise<void>((resolve) => other.close(() => resolve()))]);
    },
  };
}
