import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeOutput } from '../../src/cli/output.js';
import { startLab } from '../../src/lab/lab.js';
import { contoso, loopbackAddresses } from '../../src/lab/organization.js';
import { loadTopology } from '../../src/topology/load.js';

describe('the lab files, written as on Windows (the CLI writer, the platform injected)', () => {
  test('the topology and the root certificate have CRLF line ends, and the tool reads both back', async () => {
    const lab = await startLab(contoso(loopbackAddresses()), { writeText: (file, text) => writeOutput(file, text, { platform: { os: 'win32' } }) });
    try {
      const topology = readFileSync(lab.topologyFile, 'utf8');
      const authority = readFileSync(lab.authorityFile, 'utf8');
      for (const text of [topology, authority]) {
        expect(text).toContain('\r\n');
        expect(text.replace(/\r\n/g, '')).not.toContain('\n');
      }
      expect((await loadTopology(lab.topologyFile)).organization).toBe(lab.organization.organization);
      expect(new X509Certificate(authority).ca).toBe(true);
    } finally {
      await lab.stop();
    }
  });
});
