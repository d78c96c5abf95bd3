import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspectTranscript } from '../../src/lab/esmtp-inspection.js';
import type { Check } from '../../src/plan/types.js';
import type { SmtpFacts } from '../../src/probe/smtp.js';
import { parseExtensions } from '../../src/probe/smtp-ehlo.js';
import { exchangeFingerprint } from '../../src/probe/smtp-exchange.js';
import { ReplyAssembler, type SmtpReply } from '../../src/probe/smtp-reply.js';
import type { Observation } from '../../src/probe/types.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import { inspectionSigns } from '../../src/verdict/findings/inspection.js';
import { judge } from '../../src/verdict/judge.js';

/** A recorded dialogue (fixtures/smtp), with the public source it was taken from. */
interface Transcript {
  readonly source?: string;
  readonly greeting: readonly string[];
  readonly ehlo: readonly string[];
  readonly starttls?: readonly string[];
}

const transcript = (name: string): Transcript =>
  JSON.parse(readFileSync(join(process.cwd(), 'fixtures', 'smtp', `${name}.json`), 'utf8')) as Transcript;

function reply(lines: readonly string[]): SmtpReply {
  const assembler = new ReplyAssembler(100);
  for (const line of lines) {
    const done = assembler.push(new TextEncoder().encode(line));
    if (done) return done;
  }
  throw new Error('unfinished reply');
}

/** The facts the SMTP checker reports for a dialogue, made with the checker's own parsers. */
function factsOf(t: Transcript): SmtpFacts {
  const greeting = reply(t.greeting);
  const ehlo = reply(t.ehlo);
  const extensions = parseExtensions(ehlo);
  const offered = 'STARTTLS' in extensions;
  const starttls = offered && t.starttls ? { offered, attempted: true, reply: reply(t.starttls) } : { offered, attempted: false };
  return {
    kind: 'smtp',
    implicitTls: false,
    greeting,
    banner: greeting.lines[0] ?? '',
    ehlo: { ...ehlo, command: 'EHLO', extensions },
    auth: [],
    starttls,
    exchange: exchangeFingerprint(greeting.lines, extensions),
    dialogue: [],
    problems: [],
    quit: { sent: true, code: 221 },
  };
}

function check(source: Check['source']['role'], destination: Check['destination']['role'], expectation: Check['expectation'] = 'required'): Check {
  return {
    id: `x:${destination}:25/tcp`,
    flow: 'x',
    flows: ['x'],
    table: 'mail-flow-edge',
    source: { role: source },
    destination: { role: destination, host: 'mbx01.contoso.test', lookup: 'name' },
    port: 25,
    portName: 'smtp',
    transport: 'tcp',
    expectation,
    probe: 'smtp',
    implicitTls: false,
    purpose: 'test',
    component: 'test',
    needsListener: true,
    why: 'test',
  };
}

const open = (service: SmtpFacts): Observation => ({ state: 'open', attempts: 1, service }) as Observation;
const NOW = { certWarnDays: 30, certCritDays: 14, now: new Date('2026-12-02T00:00:00Z') };
const EDGE_TO_MAILBOX = check('edge', 'mailbox');
const ids = (findings: readonly { id: string; severity: string }[]) => findings.map((f) => `${f.severity}:${f.id}`);

describe('smtp.inspected: a rewritten SMTP dialogue, from one vantage', () => {
  test('every transcript names its public source', () => {
    for (const name of ['exchange2016-telnet', 'esmtp-inspected-masked', 'esmtp-inspected-stripped']) expect(transcript(name).source).toMatch(/\w/);
  });

  test('a real Exchange 2016 dialogue (Microsoft\'s telnet walkthrough) shows no sign', () => {
    const facts = factsOf(transcript('exchange2016-telnet'));
    expect(inspectionSigns(EDGE_TO_MAILBOX, facts)).toEqual([]);
    expect(ids(serviceFindings(EDGE_TO_MAILBOX, open(facts), NOW))).not.toContain('critical:smtp.inspected');
  });

  test('a real dialogue through ESMTP inspection: masked banner and a keyword overwritten with X\'s', () => {
    const facts = factsOf(transcript('esmtp-inspected-masked'));
    const internet = check('internet', 'mailbox', 'forbidden');
    const signs = inspectionSigns(internet, facts);
    expect(signs).toEqual([expect.stringContaining('the greeting is masked'), "EHLO keywords are overwritten with X's (XXXXXXXA)"]);
    const found = serviceFindings(internet, open(facts), NOW);
    const inspected = found.find((f) => f.id === 'smtp.inspected');
    expect(inspected?.severity).toBe('critical');
    expect(inspected?.breaksFlow).toBeUndefined();
    expect(inspected?.message).toMatch(/SMTP\/ESMTP inspection on a firewall between internet and mbx01\.contoso\.test:25/);
  });

  test('a real dialogue where the firewall answers STARTTLS itself with 500', () => {
    const t = transcript('esmtp-inspected-stripped');
    // The source's firewall masked the STARTTLS keyword too; a client that sends it anyway gets the 500.
    const facts = { ...factsOf(t), starttls: { offered: true, attempted: true, reply: reply(t.starttls ?? []) } };
    expect(inspectionSigns(check('internet', 'edge'), facts)).toEqual([
      "EHLO keywords are overwritten with X's (XXXXXXXA, XXXB)",
      'STARTTLS is offered but answered 500 (a firewall that strips the verb)',
    ]);
  });

  test('Exchange 2016 rewritten by the lab\'s middlebox, Edge -> Mailbox: down, naming the firewall, and the wrong diagnoses gone', () => {
    const real = transcript('exchange2016-telnet');
    const rewritten = inspectTranscript(real.greeting, real.ehlo);
    expect(rewritten.greeting[0]).toMatch(/^220 \*+$/);
    expect(rewritten.greeting[0]).toHaveLength(real.greeting[0]!.length);
    expect(rewritten.ehlo).toEqual(expect.arrayContaining(['250-XXXXXXXA', '250-XXXXXXXXXXXXXX', '250-XXXXXX GSSAPI NTLM', '250 XXXXX', '250-SIZE 37748736', '250-AUTH NTLM']));
    const facts = factsOf({ ...real, ...rewritten });
    const found = serviceFindings(EDGE_TO_MAILBOX, open(facts), NOW);
    expect(ids(found)).toContain('critical:smtp.inspected');
    expect(ids(found)).not.toEqual(expect.arrayContaining(['info:smtp.not-exchange']));
    expect(found.map((f) => f.id)).not.toContain('smtp.no-starttls');
    const inspected = found.find((f) => f.id === 'smtp.inspected');
    expect(inspected?.breaksFlow).toBe(true);
    expect(inspected?.message).toContain('451 5.7.3 Cannot achieve Exchange Server authentication');
    const judgement = judge(EDGE_TO_MAILBOX, open(facts), found);
    expect(judgement.verdict).toBe('down');
    expect(judgement.why).toContain('smtp.inspected');
  });

  test('from the Internet, the same rewrite is critical but the flow is judged as before', () => {
    const real = transcript('exchange2016-telnet');
    const facts = factsOf({ ...real, ...inspectTranscript(real.greeting, real.ehlo) });
    const inbound = check('internet', 'edge');
    const found = serviceFindings(inbound, open(facts), NOW);
    expect(found.find((f) => f.id === 'smtp.inspected')?.severity).toBe('critical');
    expect(judge(inbound, open(facts), found).verdict).toBe('warn');
  });

  test('an Exchange EHLO that lost X-ANONYMOUSTLS (a firewall that drops the line) is named', () => {
    const real = transcript('exchange2016-telnet');
    const facts = factsOf({ ...real, ehlo: real.ehlo.filter((line) => !line.includes('X-ANONYMOUSTLS')) });
    expect(inspectionSigns(EDGE_TO_MAILBOX, facts)).toEqual(['EHLO lacks X-ANONYMOUSTLS, which every Exchange receive connector on 25 offers']);
    // On 587 (Client Frontend) X-ANONYMOUSTLS is not offered at all: no sign there.
    expect(inspectionSigns({ ...EDGE_TO_MAILBOX, port: 587, portName: 'submission' }, facts)).toEqual([]);
  });

  test('a Postfix server and a plain relay without STARTTLS are not taken for inspection', () => {
    for (const name of ['postfix', 'no-starttls']) {
      expect(inspectionSigns(check('internet', 'internet'), factsOf(transcript(name)))).toEqual([]);
    }
  });

  test('a bare 220 and a banner with a few asterisks are not a masked banner', () => {
    const real = factsOf(transcript('exchange2016-telnet'));
    const greeting = (line: string) => ({ ...real, greeting: { code: 220, lines: [line] } });
    expect(inspectionSigns(EDGE_TO_MAILBOX, greeting('220'))).toEqual([]);
    expect(inspectionSigns(EDGE_TO_MAILBOX, greeting('220 mx.example.test ESMTP *** no UCE ***'))).toEqual([]);
    expect(inspectionSigns(EDGE_TO_MAILBOX, greeting('220 ****'))).toEqual([expect.stringContaining('masked')]);
  });
});
