import { announcedHost, authMechanisms, parseExtensions, sizeLimit } from '../../src/probe/smtp-ehlo.js';
import { exchangeFingerprint } from '../../src/probe/smtp-exchange.js';
import { parseReplies, replyTexts, type ReplyLimits } from '../../src/probe/smtp-reply.js';

const LIMITS: ReplyLimits = { maxLineBytes: 512, maxReplyLines: 10, maxSessionBytes: 64 * 1024 };
const parse = (text: string) => parseReplies(Buffer.from(text, 'latin1'), LIMITS);

describe('SMTP reply parser', () => {
  test('multi-line reply ends at the line with a space', () => {
    const { replies, unfinished } = parse('250-a.example\r\n250-SIZE 10\r\n250 STARTTLS\r\n');
    expect(unfinished).toBe(false);
    expect(replies).toEqual([{ code: 250, lines: ['250-a.example', '250-SIZE 10', '250 STARTTLS'] }]);
    expect(replyTexts(replies[0]!)).toEqual(['a.example', 'SIZE 10', 'STARTTLS']);
  });

  test('a bare code ends a reply; LF alone is a line end', () => {
    expect(parse('220\n354 go\r\n').replies.map((r) => r.code)).toEqual([220, 354]);
  });

  test('an unfinished reply is reported as such', () => {
    expect(parse('220-first\r\n220-second').unfinished).toBe(true);
  });

  test('mixed codes in one reply are a problem', () => {
    expect(parse('250-a\r\n251 b\r\n').replies[0]?.problem).toBe('reply code 251 inside a multi-line 250 reply');
  });

  test('too many lines end the reply with a problem', () => {
    const { replies } = parse('220-x\r\n'.repeat(20));
    expect(replies[0]?.problem).toBe('more than 10 lines in one reply');
    expect(replies[0]?.lines).toHaveLength(10);
  });

  test('text that is no reply', () => {
    expect(parse('HTTP/1.1 400 Bad Request\r\n').replies[0]).toMatchObject({ code: null, problem: 'not an SMTP reply' });
    expect(parse('2200 x\r\n').replies[0]?.code).toBeNull();
  });

  test('a line over the limit stops parsing', () => {
    expect(parse(`220 ${'x'.repeat(600)}\r\n250 ok\r\n`)).toEqual({ replies: [], unfinished: false, overflow: 'line' });
  });

  test('invalid UTF-8 becomes U+FFFD and is flagged', () => {
    const { replies } = parseReplies(Buffer.from([0x32, 0x32, 0x30, 0x20, 0xff, 0x0d, 0x0a]), LIMITS);
    expect(replies[0]).toEqual({ code: 220, lines: ['220 \uFFFD'], invalidUtf8: true });
  });
});

describe('EHLO extensions', () => {
  const reply = parse('250-mx.example Hello\r\n250-size 1000\r\n250-AUTH=LOGIN\r\n250-AUTH PLAIN login\r\n250 STARTTLS\r\n').replies[0]!;

  test('a set of upper-case keywords with parameters, order ignored', () => {
    const other = parse('250-mx.example Hello\r\n250-STARTTLS\r\n250-AUTH PLAIN login\r\n250-AUTH=LOGIN\r\n250 size 1000\r\n').replies[0]!;
    expect(parseExtensions(reply)).toEqual({ AUTH: ['LOGIN', 'PLAIN', 'login'], SIZE: ['1000'], STARTTLS: [] });
    expect(JSON.stringify(parseExtensions(other))).toBe(JSON.stringify(parseExtensions(reply)));
  });

  test('AUTH mechanisms and SIZE', () => {
    const extensions = parseExtensions(reply);
    expect(authMechanisms(extensions)).toEqual(['LOGIN', 'PLAIN']);
    expect(sizeLimit(extensions)).toBe(1000);
    expect(sizeLimit({ SIZE: [] })).toBeUndefined();
  });

  test('the announced host name, when there is one', () => {
    expect(announcedHost(parse('220 mail.contoso.com Microsoft ESMTP MAIL Service ready\r\n').replies[0]!)).toBe('mail.contoso.com');
    expect(announcedHost(parse('220 [198.18.0.1] ready\r\n').replies[0]!)).toBe('[198.18.0.1]');
    expect(announcedHost(parse('220 \x1b[31m ready\r\n').replies[0]!)).toBeUndefined();
    expect(announcedHost(parse('220\r\n').replies[0]!)).toBeUndefined();
  });
});

describe('Exchange fingerprint', () => {
  test('banner match is case-insensitive; XRDST is 2010 or later; XEXCH50 is not a legacy marker', () => {
    const print = exchangeFingerprint(['220 mx microsoft esmtp mail service ready'], { XRDST: [], XEXCH50: [], STARTTLS: [] });
    expect(print).toMatchObject({ banner: true, markers: ['XEXCH50', 'XRDST'], legacy: [], backEnd: ['XEXCH50'] });
    expect(print.suggests).toMatch(/Exchange 2010 or later/);
    expect(print.suggests).not.toMatch(/2013 or later/);
  });

  test('X-EXCHANGEAUTH is an Exchange keyword', () => {
    expect(exchangeFingerprint(['220 mx SMTP ready'], { 'X-EXCHANGEAUTH': ['SHA256'] }).markers).toEqual(['X-EXCHANGEAUTH']);
  });

  test('the upper-case greeting is the Mailbox Transport listener (475, 476/477 on 2019)', () => {
    const print = exchangeFingerprint(['220 MBX01.contoso.com MICROSOFT ESMTP MAIL SERVICE READY AT Tue, 1 Dec 2026 10:00:00 +0000'], {});
    expect(print).toMatchObject({ banner: true, mailboxTransport: true });
    expect(print.suggests).toMatch(/Mailbox Transport/);
  });

  test('nothing Exchange-like: no suggestion', () => {
    expect(exchangeFingerprint(['220 mx ESMTP Postfix'], { STARTTLS: [] })).toEqual({ banner: false, markers: [], backEnd: [], legacy: [] });
  });
});
