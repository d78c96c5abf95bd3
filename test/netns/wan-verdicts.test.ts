import { whenRoot } from '../helpers/root.js';
import { condition } from '../helpers/wan-conditions.js';
import { scanCondition, useWanLab } from '../helpers/wan-scan.js';

/**
 * Verdicts that hold on real networks (issue 9): a scan with the CLI's defaults, from a Mailbox
 * server, compared check by check and address by address with the WAN lab's ground truth.
 */
whenRoot(() => {
  describe('verdicts on a WAN: far sites, a near resetting firewall, no IPv6 route, a dead A record, loss', () => {
    const wan = useWanLab();

    it.each(['far-200', 'resetting-firewall', 'no-ipv6-route', 'dead-a'])('%s: every check and address as the ground truth says', async (id) => {
      const scanned = await scanCondition(wan, condition(id));
      expect(scanned.stderr).toBe('');
      expect(scanned.partial).toBe(false);
      expect(scanned.score.mistakes).toEqual([]);
      expect(scanned.score.probes).toBeGreaterThan(35);
    }, 60_000);

    it('resetting-firewall: the far Edge server\'s open RDP and WinRM ports are exposed, its required ports pass', async () => {
      const scanned = await scanCondition(wan, condition('resetting-firewall'));
      const verdict = (port: number): string | undefined => scanned.checks.find((check) => check.destination.host.startsWith('edge01') && check.port === port)?.verdict;
      expect([3389, 5985].map(verdict)).toEqual(['exposed', 'exposed']);
      expect(scanned.checks.find((check) => check.destination.host.startsWith('edge01') && check.port === 25)?.observed.state).toBe('open');
    }, 60_000);

    it.each(['loss-3', 'loss-10'])('%s: no false pass, no false fail, no name lost', async (id) => {
      const { score, stderr } = await scanCondition(wan, condition(id));
      expect(stderr).toBe('');
      expect({ falsePasses: score.falsePasses, falseFails: score.falseFails, namesLost: score.namesLost, mistakes: score.mistakes.filter((line) => !line.startsWith('wrong state')) }).toEqual({
        falsePasses: 0,
        falseFails: 0,
        namesLost: 0,
        mistakes: [],
      });
    }, 90_000);
  });
});
