import { resolveVantage } from '../../src/plan/vantage.js';
import { EDGE } from '../helpers/topologies.js';

const nobody = { addresses: ['127.0.0.1', '::1'], hostnames: ['laptop'] };

describe('resolveVantage', () => {
  test('a role, or a role and host', () => {
    expect(resolveVantage('internet', EDGE, nobody)).toEqual({ role: 'internet' });
    expect(resolveVantage('mailbox:mbx02', EDGE, nobody)).toEqual({ role: 'mailbox', host: 'mbx02.contoso.local' });
    expect(resolveVantage('edge:198.18.2.25', EDGE, nobody)).toEqual({ role: 'edge', host: 'edge01.contoso.com' });
  });

  test('unknown roles and hosts are clear one-line errors', () => {
    expect(() => resolveVantage('mailbx', EDGE, nobody)).toThrow('--from mailbx: unknown role "mailbx" (one of: auto, internet,');
    expect(() => resolveVantage('edge:edge09', EDGE, nobody)).toThrow(
      '--from edge:edge09: no edge host "edge09" in test.yaml (edge hosts: edge01.contoso.com)',
    );
  });

  test('auto matches an address of this machine, or its host name', () => {
    expect(resolveVantage('auto', EDGE, { addresses: ['127.0.0.1', '::ffff:198.18.3.11'], hostnames: [] })).toEqual({
      role: 'mailbox',
      host: 'mbx02.contoso.local',
    });
    expect(resolveVantage('auto', EDGE, { addresses: [], hostnames: ['EDGE01'] })).toEqual({ role: 'edge', host: 'edge01.contoso.com' });
  });

  test('auto says what it tried when nothing matches, and refuses to guess between several', () => {
    expect(() => resolveVantage('auto', EDGE, nobody)).toThrow(
      "--from auto: none of this machine's addresses (127.0.0.1, ::1) or names (laptop) is a host in test.yaml; name the vantage with --from ROLE",
    );
    expect(() => resolveVantage('auto', EDGE, { addresses: ['198.18.3.10', '198.18.2.25'], hostnames: [] })).toThrow(
      'several hosts in test.yaml (mailbox:mbx01.contoso.local, edge:edge01.contoso.com)',
    );
  });
});
