// A dns2 server answering A and AAAA questions from a zone, for a test to start inside a network
// namespace (`ip netns exec NS node zone-dns.mjs ...`), where the test's own process cannot listen.
// argv[2]: JSON {"address": "198.18.200.2", "port": 5353, "zone": {"name": [{"type": "A", "address": "..."}]}}.
// A name outside the zone is NXDOMAIN. Prints `ready` once it listens on UDP and TCP.
import DNS from 'dns2';

const { address, port, zone } = JSON.parse(process.argv[2] ?? '{}');
const TYPES = { A: DNS.Packet.TYPE.A, AAAA: DNS.Packet.TYPE.AAAA };

const server = DNS.createServer({
  udp: true,
  tcp: true,
  handle: (request, send) => {
    const response = DNS.Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const records = question ? zone[question.name.toLowerCase().replace(/\.$/, '')] : undefined;
    if (!records) response.header.rcode = 3;
    for (const record of records ?? []) {
      if (TYPES[record.type] !== question.type) continue;
      response.answers.push({ name: question.name, type: question.type, class: DNS.Packet.CLASS.IN, ttl: 60, address: record.address });
    }
    send(response);
  },
});
await server.listen({ udp: { port, address }, tcp: { port, host: address } });
process.stdout.write('ready\n');
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
