import { whenRoot } from '../helpers/root.js';
import { condition } from '../helpers/wan-conditions.js';
import { probeCondition, scanCondition, useWanLab } from '../helpers/wan-scan.js';
import type { Score } from '../helpers/wan-score.js';

/**
 * Verdicts that hold on real networks (issue 9): the engine's own probes and a whole scan, with
 * the CLI's defaults, from a Mailbox server, compared check by check and address by address with
 * the WAN lab's ground truth.
 */
whenRoot(() => {
  describe('verdicts on a WAN: far sites, a near resetting firewall, no IPv6 route, a dead A record, loss', () => {
    const wan = useWanLab();

    const EXACT = ['far-200', 'resetting-firewall', 'no-ipv6-route', 'dead-a'];

    it.each(EXACT)("%s, the engine's own probes: every check and address as the ground truth says", async (id) => {
      const score = await probeCondition(wan, condition(id));
      expect(score.mistakes).toEqual([]);
      expect(score.probes).toBeGreaterThan(35);
    }, 60_000);

    it.each(EXACT)('%s, a scan with its service checks: every check and address as the ground truth says', async (id) => {
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

    const withoutFalseVerdicts = (score: Score) => ({
      falsePasses: score.falsePasses,
      falseFails: score.falseFails,
      namesLost: score.namesLost,
      mistakes: score.mistakes.filter((line) => !line.startsWith('wrong state')),
    });
    const NONE = { falsePasses: 0, falseFails: 0, namesLost: 0, mistakes: [] };

    it.each(['loss-3', 'loss-10'])("%s, the engine's own probes: no false pass, no false fail, no name lost", async (id) => {
      expect(withoutFalseVerdicts(await probeCondition(wan, condition(id)))).toEqual(NONE);
    }, 90_000);

    it.each(['loss-3', 'loss-10'])('%s, a scan with its service checks: no false pass, no false fail, no name lost', async (id) => {
      const { score, stderr } = await scanCondition(wan, condition(id));
      expect(stderr).toBe('');
      expect(withoutFalseVerdicts(score)).toEqual(NONE);
    }, 90_000);
  });
});
