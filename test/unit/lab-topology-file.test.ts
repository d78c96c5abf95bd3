import { contoso, healthyContoso, loopbackAddresses } from '../../src/lab/organization.js';
import { topologyYaml } from '../../src/lab/topology-file.js';
import { parseTopology } from '../../src/topology/parse.js';

describe('the lab topology file', () => {
  test('names the built-in faults of the demo organization, and only of it', () => {
    const demo = topologyYaml(contoso(loopbackAddresses()), new Map());
    expect(demo).toContain('# Built-in faults: POP3 is enabled but nothing listens on it;');
    const healthy = topologyYaml(healthyContoso(loopbackAddresses(), { edge: true }), new Map());
    expect(healthy).not.toContain('Built-in faults');
    for (const text of [demo, healthy]) expect(parseTopology(text, 'lab.yaml').organization).toBe('contoso');
  });
});
