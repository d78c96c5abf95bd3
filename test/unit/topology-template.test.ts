import { FEATURES } from '../../src/model/types.js';
import { parseTopology } from '../../src/topology/parse.js';
import { renderTemplate } from '../../src/topology/template.js';

describe('the init template', () => {
  test('without Edge it validates as an organization without Edge servers', () => {
    const topology = parseTopology(renderTemplate({ edge: false }), 'topology.yaml');
    expect(topology.features.edge).toBe(false);
    expect(topology.hosts.edge).toEqual([]);
    expect(topology.hosts.mailbox.length).toBeGreaterThan(0);
  });

  test('with Edge it validates with a subscribed Edge server', () => {
    const topology = parseTopology(renderTemplate({ edge: true }), 'topology.yaml');
    expect(topology.features.edge).toBe(true);
    expect(topology.hosts.edge.length).toBeGreaterThan(0);
  });

  test.each([false, true])('edge %s: every feature is written out with a comment saying what it is for', (edge) => {
    const text = renderTemplate({ edge });
    for (const feature of FEATURES.filter((f) => f !== 'edge')) {
      expect(text).toMatch(new RegExp(`^  ${feature}: (true|false) +# \\S`, 'm'));
    }
  });

  test.each([false, true])('edge %s: the only addresses are placeholders in 198.18.0.0/15', (edge) => {
    const addresses = renderTemplate({ edge }).match(/\b\d+\.\d+\.\d+\.\d+\b/g) ?? [];
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(address).toMatch(/^198\.1[89]\./);
  });
});

describe('the init --edge template: every-port responders', () => {
  test('names internet.responders in a comment that, uncommented, validates', () => {
    const text = renderTemplate({ edge: true });
    expect(text).toMatch(/^ {2}# responders: \[198\.18\.9\.9\] +# hosts that answer on every TCP port/m);
    const topology = parseTopology(text.replace('  # responders:', '  responders:'), 'topology.yaml');
    expect(topology.responders).toEqual([{ name: '198.18.9.9', address: '198.18.9.9', ports: {}, edgeSync: false }]);
  });

  test('the template without Edge has no open proxy checks, so no responders', () => {
    expect(renderTemplate({ edge: false })).not.toContain('responders');
  });
});
