import { addressProblem, domainProblem, hostNameProblem, hostProblem } from '../../src/topology/names.js';
import { closest, LONGEST_SUGGESTED, suggestion } from '../../src/topology/suggest.js';

describe('host names and addresses', () => {
  test.each([
    'mbx01',
    'mbx01.contoso.local',
    'MBX01.Contoso.Local',
    'mail.contoso.com.',
    '3com.example',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example`,
    Array.from({ length: 4 }, () => 'b'.repeat(62)).join('.').slice(0, 253),
  ])('%s is a host name', (name) => {
    expect(hostNameProblem(name)).toBeUndefined();
    expect(hostProblem(name)).toBeUndefined();
  });

  test.each([
    ['mbx_01.contoso.local', '"_" is not allowed'],
    ['-mbx01.contoso.local', 'starts or ends with a hyphen'],
    ['mbx01-.contoso.local', 'starts or ends with a hyphen'],
    ['mbx01..contoso.local', 'empty label'],
    ['.contoso.local', 'empty label'],
    [`${'a'.repeat(64)}.example`, 'label longer than 63 characters'],
    [Array.from({ length: 5 }, () => 'c'.repeat(60)).join('.'), 'longer than 253 characters'],
    ['mail contoso', '" " is not allowed'],
    ['https://mail.contoso.com', 'not a URL'],
    ['', 'empty host name'],
  ])('%j is not a host name: %s', (name, why) => {
    expect(hostNameProblem(name)).toContain(why);
  });

  test.each(['198.18.3.10', '198.19.255.255', '::1', '2001:db8::25', '::ffff:198.18.3.10'])('%s is an address and a host', (address) => {
    expect(addressProblem(address)).toBeUndefined();
    expect(hostProblem(address)).toBeUndefined();
  });

  test.each(['198.18.2.999', '198.18.3.10.1', '198.18::53::1', 'fe80::g'])('%s was meant as an address and is not one', (text) => {
    expect(hostProblem(text)).toBe(`not an IP address: "${text}"`);
    expect(addressProblem(text)).toBe(`not an IP address: "${text}"`);
  });

  test('a port written after the host is pointed to ports', () => {
    expect(hostProblem('mbx01.contoso.local:25')).toBe('not a host name or an IP address: "mbx01.contoso.local:25" (ports go under ports)');
    expect(hostProblem('198.18.3.10:25')).toContain('(ports go under ports)');
  });

  test('a domain is a name, never an address', () => {
    expect(domainProblem('example.org')).toBeUndefined();
    expect(domainProblem('198.19.0.25')).toBe('expected a domain name, got "198.19.0.25"');
    expect(domainProblem('example..org')).toContain('empty label');
  });

  test('control characters in a value never reach the terminal raw', () => {
    expect(hostNameProblem('mbx\u001b[31m01')).toContain('"mbx\\u001b[31m01"');
  });
});

describe('did-you-mean', () => {
  const keys = ['name', 'address', 'external', 'ports', 'edgeSync'];

  test.each([
    ['adress', 'address'],
    ['Address', 'address'],
    ['edgesync', 'edgeSync'],
    ['edge_sync', 'edgeSync'],
    ['nmae', 'name'],
    ['port', 'ports'],
    ['externel', 'external'],
  ])('%s -> %s', (typo, meant) => {
    expect(closest(typo, keys)).toBe(meant);
  });

  test('roles and features, with separators and case ignored', () => {
    expect(closest('domain_controller', ['mailbox', 'domain-controller'])).toBe('domain-controller');
    expect(closest('DomainController', ['mailbox', 'domain-controller'])).toBe('domain-controller');
    expect(closest('SMTPSubmission', ['smtpSubmission', 'imap4'])).toBe('smtpSubmission');
    expect(closest('mailboxes', ['mailbox', 'edge'])).toBe('mailbox');
  });

  test('nothing close: the choices are listed instead', () => {
    expect(closest('firewall', keys)).toBeUndefined();
    expect(suggestion('firewall', ['mailbox', 'edge'])).toBe('(expected one of: mailbox, edge)');
    expect(suggestion('edg', ['mailbox', 'edge'])).toBe('(did you mean "edge"?)');
  });

  test(`a word longer than ${LONGEST_SUGGESTED} characters gets no suggestion, even one letter from a candidate`, () => {
    const long = 'a'.repeat(LONGEST_SUGGESTED + 1);
    expect(closest(`${long}b`, [long])).toBeUndefined();
    expect(closest(long.slice(1), [long.slice(2)])).toBe(long.slice(2));
  });
});
