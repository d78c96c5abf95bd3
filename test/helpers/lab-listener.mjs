// Services inside a lab namespace: TCP ports that accept, UDP ports that echo, DNS (dns2) on
// udp+tcp. argv[2]: JSON {"tcp":[[address, port]...],"udp":[...],"dns":[...],"zone":{name: [address...]}}:
// the DNS servers answer A and AAAA for the zone's names (IPv4 and IPv6 addresses), NOERROR
// with no answer otherwise.
// Each service binds its own address: a UDP socket on 0.0.0.0 would answer from the
// interface's primary address, which a connected client socket (and nmap) does not accept.
// Prints `ready`.
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import DNS from 'dns2';

const { tcp = [], udp = [], dns = [], zone = {} } = JSON.parse(process.argv[2] ?? '{}');
const FAMILY = { [DNS.Packet.TYPE.A]: 4, [DNS.Packet.TYPE.AAAA]: 6 };

function answer(request, send) {
  const response = DNS.Packet.createResponseFromRequest(request);
  for (const { name, type } of request.questions) {
    const addresses = (zone[name.toLowerCase()] ?? []).filter((address) => isIP(address) === FAMILY[type]);
    for (const address of addresses) response.answers.push({ name, type, class: DNS.Packet.CLASS.IN, ttl: 60, address });
  }
  send(response);
}
const waits = [];
for (const [address, port] of tcp) {
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end();
  });
  waits.push(new Promise((resolve) => server.listen({ port, host: address, backlog: 4096 }, resolve)));
}
for (const [address, port] of udp) {
  const socket = createSocket('udp4');
  socket.on('message', (message, peer) => socket.send(Buffer.from('pong'), peer.port, peer.address));
  waits.push(new Promise((resolve) => socket.bind(port, address, resolve)));
}
for (const [address, port] of dns) {
  const server = DNS.createServer({
    udp: true,
    tcp: true,
    handle: answer,
  });
  waits.push(server.listen({ udp: { port, address }, tcp: { port, address } }));
}
await Promise.all(waits);
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
