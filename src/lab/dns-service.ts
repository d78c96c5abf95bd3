import DNS from 'dns2';
import type { Server } from 'node:net';
import { listen, type Listener } from './listener.js';

const { Packet } = DNS;

/** What the lab's DNS server knows: A records, and MX records per mail domain. */
export interface Zone {
  readonly a: Readonly<Record<string, string>>;
  readonly mx: Readonly<Record<string, string>>;
}

type Request = InstanceType<typeof Packet>;
type ResourceRecord = Request['answers'][number];
const NXDOMAIN = 3;

/** dns2 encodes plain objects; its types only know class instances. */
const record = (fields: object) => fields as ResourceRecord;

function answer(zone: Zone, request: Request): Request {
  const response = Packet.createResponseFromRequest(request);
  const [question] = request.questions;
  if (!question) return response;
  const name = question.name.toLowerCase().replace(/\.$/, '');
  const a = zone.a[name];
  const mx = zone.mx[name];
  if (question.type === Packet.TYPE.A && a) {
    response.answers.push(record({ name: question.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 300, address: a }));
  } else if (question.type === Packet.TYPE.MX && mx) {
    response.answers.push(record({ name: question.name, type: Packet.TYPE.MX, class: Packet.CLASS.IN, ttl: 300, exchange: mx, priority: 10 }));
    const glue = zone.a[mx];
    if (glue) response.additionals.push(record({ name: mx, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 300, address: glue }));
  } else if (!a && !mx) {
    response.header.rcode = NXDOMAIN;
  }
  return response;
}

function bindUdp(socket: ReturnType<typeof DNS.createUDPServer>, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

/** DNS over UDP and TCP on one port number (a port-0 TCP port, then the same for UDP). */
export async function startDnsService(options: { address: string; port: number; zone: Zone }): Promise<Listener> {
  const handle = (request: Request, send: (response: Request) => void) => send(answer(options.zone, request));
  for (let attempt = 0; ; attempt++) {
    const tcp = DNS.createTCPServer(handle as never) as unknown as Server;
    const tcpListener = await listen(tcp, options.address, options.port);
    const udp = DNS.createUDPServer(handle as never);
    try {
      await bindUdp(udp, options.address, tcpListener.port);
    } catch (error) {
      await tcpListener.close();
      if (options.port !== 0 || attempt >= 5) throw error;
      continue;
    }
    return {
      address: options.address,
      port: tcpListener.port,
      close: async () => {
        await new Promise<void>((resolve) => udp.close(() => resolve()));
        await tcpListener.close();
      },
    };
  }
}
