import { fullyQualifiedName, type MachineNames } from '../../src/cli/local-identity.js';
import { ehloName } from '../../src/cli/service-options.js';

const linux = (hostname: string, hosts = ''): MachineNames => ({ hostname, platform: 'linux', env: {}, hosts });
const windows = (hostname: string, env: NodeJS.ProcessEnv = {}): MachineNames => ({ hostname, platform: 'win32', env });

describe("the default EHLO name: this machine's fully qualified name where one is known", () => {
  test('a host name with a dot is already full, on every platform', () => {
    expect(fullyQualifiedName(linux('mbx01.contoso.local'))).toBe('mbx01.contoso.local');
    expect(fullyQualifiedName(windows('mbx01.contoso.local', { USERDNSDOMAIN: 'FABRIKAM.COM' }))).toBe('mbx01.contoso.local');
  });

  test('Windows: the short host name with the DNS domain of the logged-on user, in lower case', () => {
    expect(fullyQualifiedName(windows('MBX01', { USERDNSDOMAIN: 'CONTOSO.LOCAL', COMPUTERNAME: 'MBX01' }))).toBe('MBX01.contoso.local');
    expect(fullyQualifiedName(windows('edge01', { USERDNSDOMAIN: 'contoso.com.' }))).toBe('edge01.contoso.com');
  });

  test('Windows without USERDNSDOMAIN (a local account, SYSTEM in Task Scheduler, an Edge server in a workgroup): the short name', () => {
    expect(fullyQualifiedName(windows('EDGE01', { COMPUTERNAME: 'EDGE01' }))).toBe('EDGE01');
    expect(fullyQualifiedName(windows('EDGE01', { USERDNSDOMAIN: '  ' }))).toBe('EDGE01');
  });

  test('Linux: the full name the hosts file gives the short one (its canonical name, as hostname -f finds it)', () => {
    const hosts = ['127.0.0.1 localhost', '# 198.18.0.9 scanner.old.example scanner', '127.0.1.1\tscanner.contoso.lab scanner', '::1 localhost ip6-localhost', ''].join('\n');
    expect(fullyQualifiedName(linux('scanner', hosts))).toBe('scanner.contoso.lab');
    expect(fullyQualifiedName(linux('Scanner', '198.18.0.9 mail scanner.contoso.lab\n'))).toBe('scanner.contoso.lab');
  });

  test('Linux with no full name in the hosts file (or another host by the same first label): the short name', () => {
    expect(fullyQualifiedName(linux('vm', '127.0.0.1 localhost\n127.0.0.1 vm\n'))).toBe('vm');
    expect(fullyQualifiedName(linux('vm', '198.18.0.2 vmhost.example vmhost\n'))).toBe('vm');
    expect(fullyQualifiedName(linux('vm', ''))).toBe('vm');
  });

  test('a name that cannot go on the wire (empty, spaces, not ASCII) is not sent: localhost', () => {
    expect(fullyQualifiedName(linux(''))).toBe('localhost');
    expect(fullyQualifiedName(windows('MÜNCHEN-MBX', { USERDNSDOMAIN: 'CONTOSO.LOCAL' }))).toBe('localhost');
  });

  test('--ehlo wins; without it, the machine name', () => {
    expect(ehloName('probe.example.test', () => 'unused')).toEqual({ ehloName: 'probe.example.test' });
    expect(ehloName(undefined, () => 'mbx01.contoso.local')).toEqual({ ehloName: 'mbx01.contoso.local' });
  });
});
