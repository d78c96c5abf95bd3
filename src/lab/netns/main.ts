import { fromArgument, labVantages } from '../vantages.js';
import { startNetnsLab } from './organization.js';

/**
 * `npm run lab:netns`: the organization in network namespaces behind a real nftables firewall,
 * until Ctrl+C. Needs root (ip, nft).
 */
if (process.getuid?.() !== 0) {
  process.stderr.write('exchange-ports lab:netns: needs root (network namespaces and nftables)\n');
  process.exitCode = 2;
} else {
  const edge = !process.argv.includes('--no-edge');
  const lab = await startNetnsLab({ edge, middleboxes: process.argv.includes('--middleboxes') });
  try {
    const bin = new URL('../../../bin/exchange-ports.js', import.meta.url).pathname;
    const lines = [
      `The lab organization runs in network namespaces ${'xpl-' + lab.tag}-* behind the firewall namespace ${lab.firewallNamespace}.`,
      ...lab.organization.hosts.map((host) => `  ${host.name.padEnd(20)} ${host.role.padEnd(18)} ${host.address}`),
      '',
      `Topology: ${lab.topologyFile}`,
      `Firewall: ip netns exec ${lab.firewallNamespace} nft list ruleset`,
      'Scan it:',
      ...labVantages(lab.organization).map(
        (vantage) => `  ip netns exec ${lab.vantage(vantage.role).namespace} node ${bin} scan -t ${lab.topologyFile} --from ${fromArgument(vantage)} --ca ${lab.authorityFile}`,
      ),
      '',
      'Stop it with Ctrl+C (everything is removed).',
      '',
    ];
    process.stdout.write(lines.join('\n'));
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  } finally {
    await lab.destroy();
  }
}
