import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Check } from '../../src/plan/types.js';
import type { SmtpFacts } from '../../src/probe/smtp.js';
import { authMechanisms, parseExtensions, type SmtpExtensions } from '../../src/probe/smtp-ehlo.js';
import { exchangeFingerprint, type ExchangeFingerprint } from '../../src/probe/smtp-exchange.js';
import { ReplyAssembler, type SmtpReply } from '../../src/probe/smtp-reply.js';
import { serviceFindings } from '../../src/verdict/findings/index.js';
import { ROOT } from '../helpers/cli.js';

/** A public transcript excerpt (fixtures/smtp/transcripts/), one row of fixtures/smtp/TRANSCRIPTS.md. */
interface Transcript {
  readonly source: string;
  readonly fact: string;
  readonly greeting?: readonly string[];
  /** A whole EHLO reply, the name line first. */
  readonly ehlo?: readonly string[];
  /** Lines from inside an EHLO reply: no name line, and not every keyword. */
  readonly ehloExcerpt?: readonly string[];
  /** EHLO keywords as code writes them, without a reply code. */
  readonly keywords?: readonly string[];
  readonly expect: {
    readonly exchange: boolean;
    readonly fingerprint: Omit<ExchangeFingerprint, 'suggests'>;
    /** A regular expression `suggests` must match; absent: no suggestion. */
    readonly suggests?: string;
    readonly suggestsNot?: string;
    /** The fingerprint findings (severity:id) for this listener on 25, reached from the Internet. */
    readonly findingsOn25FromInternet: readonly string[];
  };
}

const DIR = join(ROOT, 'fixtures', 'smtp', 'transcripts');
const FILES = readdirSync(DIR).filter((file) => file.endsWith('.json')).sort();
const read = (file: string): Transcript => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Transcript;
const FINGERPRINT_FINDINGS = new Set(['smtp.legacy-exchange', 'smtp.backend-listener', 'smtp.iis-smtp', 'smtp.not-exchange']);

function wholeReply(lines: readonly string[]): SmtpReply {
  const assembler = new ReplyAssembler(100);
  for (const line of lines) {
    const done = assembler.push(new TextEncoder().encode(line));
    if (done) return done;
  }
  throw new Error(`unfinished reply: ${lines.join(' / ')}`);
}

/** The EHLO lines the fixture holds, as one reply for the checker's parser. */
function ehloReply(t: Transcript): SmtpReply {
  if (t.ehlo) return wholeReply(t.ehlo);
  // An excerpt has no name line, which parseExtensions skips: an empty line stands for it.
  return { code: 250, lines: ['', ...(t.ehloExcerpt ?? []), ...(t.keywords ?? [])] };
}

const ON_25_FROM_INTERNET = {
  port: 25,
  portName: 'smtp',
  probe: 'smtp',
  expectation: 'required',
  implicitTls: false,
  source: { role: 'internet' },
  destination: { role: 'mailbox', host: 'mbx01.contoso.test', lookup: 'name' },
} as unknown as Check;

function factsOf(t: Transcript, extensions: SmtpExtensions, ehlo: SmtpReply): SmtpFacts {
  const greeting = t.greeting ?? [];
  return {
    kind: 'smtp',
    implicitTls: false,
    ...(greeting.length > 0 ? { greeting: { code: 220, lines: greeting } } : {}),
    ehlo: { ...ehlo, command: 'EHLO', extensions },
    auth: authMechanisms(extensions),
    starttls: { offered: 'STARTTLS' in extensions, attempted: false },
    exchange: exchangeFingerprint(greeting, extensions),
    dialogue: [],
    problems: [],
    quit: { sent: true },
  };
}

interface Row {
  readonly excerpt: string;
  readonly source: string;
  readonly fixture: string;
}

function tableRows(): Row[] {
  const table = readFileSync(join(DIR, '..', 'TRANSCRIPTS.md'), 'utf8');
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| fact |'))
    .map((line) => {
      const [, excerpt = '', source = '', fixture = ''] = line.slice(2, -2).split(' | ');
      return { excerpt, source, fixture: fixture.replace(/^`|`$/g, '') };
    });
}

/** The lines a table cell quotes: `"..."` around a code string dropped; a trailing ` ...` leaves the rest of the line out. */
function quotes(cell: string): { text: string; prefix: boolean }[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map(([, quoted = '']) => {
    const text = quoted.replace(/^"(.*)"$/, '$1');
    return text.endsWith(' ...') ? { text: text.slice(0, -4), prefix: true } : { text, prefix: false };
  });
}

describe('public transcripts (fixtures/smtp/transcripts) against the fingerprint', () => {
  test('the folder holds transcripts', () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  describe.each(FILES)('%s', (file) => {
    const t = read(file);
    const ehlo = ehloReply(t);
    const extensions = parseExtensions(ehlo);
    const facts = factsOf(t, extensions, ehlo);

    test('names its public source and the fact it shows', () => {
      expect(t.source).toMatch(/\S/);
      expect(t.fact).toMatch(/\S/);
    });

    test('the fingerprint is what the fact implies', () => {
      expect(ehlo).toMatchObject({ code: 250 });
      expect(ehlo.problem).toBeUndefined();
      const { suggests, ...fingerprint } = facts.exchange;
      expect(fingerprint).toEqual(t.expect.fingerprint);
      expect(fingerprint.banner || fingerprint.markers.length > 0 || fingerprint.mailboxTransport === true).toBe(t.expect.exchange);
      if (t.expect.suggests === undefined) expect(suggests).toBeUndefined();
      else expect(suggests).toMatch(new RegExp(t.expect.suggests));
      if (t.expect.suggestsNot !== undefined) expect(suggests).not.toMatch(new RegExp(t.expect.suggestsNot));
    });

    test('the findings on 25 from the Internet', () => {
      const found = serviceFindings(ON_25_FROM_INTERNET, { state: 'open', attempts: 1, service: facts }, { certWarnDays: 30, certCritDays: 14, now: new Date('2026-12-02T00:00:00Z') });
      expect(found.filter((f) => FINGERPRINT_FINDINGS.has(f.id)).map((f) => `${f.severity}:${f.id}`)).toEqual(t.expect.findingsOn25FromInternet);
    });
  });
});

describe('fixtures/smtp/TRANSCRIPTS.md and the fixtures stay in step', () => {
  const rows = tableRows();

  test('each fixture is named in one row, each row names a fixture', () => {
    expect(rows.map((row) => row.fixture).sort()).toEqual(FILES);
  });

  test.each(rows.map((row) => [row.fixture, row] as const))('%s: its source is the row\'s, and it holds every line the row quotes', (_file, row) => {
    const t = read(row.fixture);
    expect(t.source).toBe(row.source);
    const lines = [...(t.greeting ?? []), ...(t.ehlo ?? []), ...(t.ehloExcerpt ?? []), ...(t.keywords ?? [])];
    const quoted = quotes(row.excerpt);
    expect(quoted.length).toBeGreaterThan(0);
    for (const { text, prefix } of quoted) {
      expect(lines.some((line) => (prefix ? line.startsWith(text) : line === text)) ? text : `not in ${row.fixture}: ${text}`).toBe(text);
    }
  });
});
