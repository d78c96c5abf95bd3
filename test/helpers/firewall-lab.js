// A scanner namespace and target hosts behind a firewall namespace that routes between them,
// with an nftables policy per (address, port, transport). Shared by the netns suite and bench/.
import { NetnsLab } from './netns-lab.js';

export const SCANNER = '198.18.1.2';
/** Target host i lives at 198.18.2.(10 + i). */
export const targetAddress = (index) => `198.18.2.${10 + index}`;

const VERDICTS = {
  accept: 'accept',
  reset: 'jump xpe_reset',
  admin: 'jump xpe_admin',
  unreachable: 'jump xpe_unreachable',
  drop: 'drop',
};

function ruleset(policy, hook) {
  const entries = { tcp: [], udp: [] };
  for (const { address, port, transport, action } of policy) entries[transport].push(`${address} . ${port} : ${VERDICTS[action]}`);
  const lines = [
    'table ip xpe {',
    '  chain xpe_reset { meta l4proto tcp reject with tcp reset; }',
    '  chain xpe_admin { reject with icmp type admin-prohibited; }',
    '  chain xpe_unreachable { reject with icmp type port-unreachable; }',
    `  chain ${hook} {`,
    `    type filter hook ${hook} priority 0; policy accept;`,
  ];
  for (const transport of ['tcp', 'udp']) {
    if (entries[transport].length > 0) lines.push(`    ip daddr . ${transport} dport vmap { ${entries[transport].join(', ')} }`);
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}

/** ICMP errors are rate-limited by default; a lab that measures them must not be. */
async function unlimitIcmp(namespace) {
  for (const [key, value] of [['net.ipv4.icmp_ratelimit', 0], ['net.ipv4.icmp_msgs_per_sec', 1000000], ['net.ipv4.icmp_msgs_burst', 1000000]]) {
    await namespace.sysctl(key, value).catch(() => undefined);
  }
}

/**
 * policy: [{address, port, transport: 'tcp'|'udp', action: 'accept'|'reset'|'admin'|'unreachable'|'drop'}]
 * services: {tcp: [[address, port]], udp: [...], dns: [...]}: what listens on the targets.
 * Every action but `unreachable` is the firewall's; `unreachable` is the target's host firewall.
 */
export async function createFirewallLab({ targets, policy, services }) {
  const lab = await NetnsLab.create();
  try {
    const scanner = await lab.namespace('scan');
    const firewall = await lab.namespace('fw');
    const target = await lab.namespace('tgt');
    await lab.link(scanner, `${SCANNER}/24`, firewall, '198.18.1.1/24');
    const { left: targetDevice } = await lab.link(target, '198.18.2.2/24', firewall, '198.18.2.1/24');
    for (let index = 0; index < targets; index += 1) await target.addAddress(`${targetAddress(index)}/24`, targetDevice);
    await scanner.route('default', 'via', '198.18.1.1');
    await target.route('default', 'via', '198.18.2.1');
    await firewall.sysctl('net.ipv4.ip_forward', 1);
    await unlimitIcmp(firewall);
    await unlimitIcmp(target);
    // Port unreachable is the target host's own answer (its host firewall): nmap reads port
    // unreachable from any other address, a router included, as filtered.
    await firewall.nft(ruleset(policy.filter((entry) => entry.action !== 'unreachable'), 'forward'));
    await target.nft(ruleset(policy.filter((entry) => entry.action === 'unreachable'), 'input'));
    await target.start('node', [new URL('./lab-listener.mjs', import.meta.url).pathname, JSON.stringify(services)]);
    return { lab, scanner, firewall, target };
  } catch (error) {
    await lab.destroy();
    throw error;
  }
}
