import { dnsmasqArgs } from '../../src/lab/netns/dnsmasq.js';

describe('dnsmasq command line for the lab DNS server', () => {
  test('serves the zone on one address, from no file and no upstream', () => {
    const args = dnsmasqArgs(
      { a: { 'mbx01.contoso.lab': '198.19.3.11', 'mx.example.org': '198.19.1.25' }, mx: { 'example.org': 'mx.example.org' } },
      '198.19.3.53',
      '/tmp/lab/dnsmasq.pid',
    );
    expect(args).toEqual(
      expect.arrayContaining([
        '--conf-file=/dev/null',
        '--no-resolv',
        '--no-hosts',
        '--listen-address=198.19.3.53',
        '--pid-file=/tmp/lab/dnsmasq.pid',
        '--local=/lab/org/',
        '--host-record=mbx01.contoso.lab,198.19.3.11',
        '--host-record=mx.example.org,198.19.1.25',
        '--mx-host=example.org,mx.example.org,10',
      ]),
    );
    expect(args.filter((arg) => arg.startsWith('--server'))).toEqual([]);
  });
});
