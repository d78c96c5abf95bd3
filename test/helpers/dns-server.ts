import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket, type AddressInfo } from 'node:net';
import DNS from 'dns2';
import type { DnsServer } from 'dns2';

const { Packet } = DNS;

export interface ZoneRecord {
  readonly type: 'A' | 'AAAA' | 'MX' | 'SOA';
  readonly address?: string;
  readonly exchange?: string;
  readonly priority?: number;
}

/** name (lower case, no trailing dot; '' = root) -> records. A name not in the zone is NXDOMAIN. */
export type Zone = Readonly<Record<string, readonly ZoneRecord[]>>;

export interface RunningDns {
  readonly udpPort: number;
  readonly tcpPort: number;
  /** Questions seen, as "udp|tcp name TYPE". */
  readonly questions: string[];
  close(): Promise<void>;
}

const TYPE_NAMES = new Map<number, string>(Object.entries(Packet.TYPE).map(([name, value]) => [value as number, name]));

/** A dns2 server on loopback answering from `zone`, over UDP and TCP. */
export async function startDnsServer(zone: Zone, host = '127.0.0.1'): Promise<RunningDns> {
  const questions: string[] = [];
  const server: DnsServer = DNS.createServer({
    udp: true,
    tcp: true,
    handle: (request, send, client) => {
      const response = Packet.createResponseFromRequest(request);
      const [question] = request.questions;
      if (!question) return send(response);
      const name = question.name.toLowerCase().replace(/\.$/, '');
      const type = TYPE_NAMES.get(question.type) ?? String(question.type);
      questions.push(`${typeof (client as { write?: unknown }).write === 'function' ? 'tcp' : 'udp'} ${name || '.'} ${type}`);
      const records = zone[name];
      if (!records) {
        response.header.rcode = 3;
        return send(response);
      }
      for (const record of records.filter((entry) => entry.type === type)) {
        const base = { name: question.name, type: question.type, class: Packet.CLASS.IN, ttl: 60 };
        if (record.type === 'SOA') {
          response.answers.push({ ...base, primary: 'ns.test', admin: 'admin.test', serial: 1, refresh: 60, retry: 60, expiration: 60, minimum: 60 } as never);
        } else {
          response.answers.push({ ...base, ...record, type: question.type } as never);
        }
      }
      send(response);
    },
  });
  const addresses = await server.listen({ udp: { port: 0, address: host }, tcp: { port: 0, host } } as never);
  const { udp, tcp } = addresses as unknown as { udp: AddressInfo; tcp: AddressInfo };
  return { udpPort: udp.port, tcpPort: tcp.port, questions, close: () => server.close().then(() => undefined) };
}

/** A UDP socket that reads queries and never answers. */
export async function startSilentUdp(host = '127.0.0.1'): Promise<{ port: number; nextQuery(): Promise<void>; close(): Promise<void> }> {
  const socket: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', () => undefined);
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  return {
    port: socket.address().port,
    /** Resolves when the next datagram arrives. */
    nextQuery: () => new Promise((resolve) => socket.once('message', () => resolve())),
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A TCP server that accepts, reads, and never answers. */
export async function startStallingTcp(host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
