import fc from 'fast-check';
import { LineSplitter } from '../../src/probe/lines.js';
import { parseReplies, type ReplyLimits } from '../../src/probe/smtp-reply.js';

const LIMITS: ReplyLimits = { maxLineBytes: 64, maxReplyLines: 5, maxSessionBytes: 2048 };

/** Bytes that look like SMTP often enough to reach deep states, and anything else too. */
const smtpish = fc.array(
  fc.oneof(
    fc.constantFrom('220-', '220 ', '250-', '250 ', '421 ', '\r\n', '\n', '\r', 'STARTTLS', '\x1b[31m', '\xff'),
    fc.string({ maxLength: 80 }),
  ),
  { maxLength: 200 },
);

describe('SMTP reply parser, any byte stream', () => {
  test('never throws and its output stays within the limits', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 4096 }), smtpish.map((parts) => Buffer.from(parts.join(''), 'latin1'))), (bytes) => {
        const parsed = parseReplies(bytes, LIMITS);
        const lines = parsed.replies.flatMap((reply) => reply.lines);
        expect(lines.length).toBeLessThanOrEqual(Buffer.from(bytes).filter((byte) => byte === 10).length);
        for (const reply of parsed.replies) {
          expect(reply.lines.length).toBeGreaterThan(0);
          expect(reply.lines.length).toBeLessThanOrEqual(LIMITS.maxReplyLines);
          if (reply.code !== null) expect(reply.code).toBeGreaterThanOrEqual(100);
        }
        for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(LIMITS.maxLineBytes * 3);
        const total = lines.reduce((sum, line) => sum + line.length, 0);
        expect(total).toBeLessThanOrEqual(Math.min(bytes.length, LIMITS.maxSessionBytes));
      }),
      { numRuns: 2000 },
    );
  });

  test('a reply is complete exactly when its last line has a space or nothing after the code', () => {
    fc.assert(
      fc.property(fc.integer({ min: 200, max: 599 }), fc.array(fc.stringMatching(/^[ -~]{0,20}$/), { minLength: 1, maxLength: 4 }), (code, texts) => {
        const wire = texts.map((text, i) => `${code}${i === texts.length - 1 ? ' ' : '-'}${text}\r\n`).join('');
        const { replies, unfinished } = parseReplies(Buffer.from(wire), LIMITS);
        expect(unfinished).toBe(false);
        expect(replies).toEqual([{ code, lines: texts.map((text, i) => `${code}${i === texts.length - 1 ? ' ' : '-'}${text}`) }]);
      }),
    );
  });
});

describe('line splitting does not depend on how the bytes arrive', () => {
  test('any chunking gives the same lines and the same overflow as one chunk', () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 600 }), smtpish.map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'latin1'))));
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 20 }), (data, cuts) => {
        const limits = { maxLineBytes: 32, maxSessionBytes: 400 };
        const whole = new LineSplitter(limits);
        const expected = whole.push(data).map((line) => line.toString('latin1'));
        const chunked = new LineSplitter(limits);
        const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
        const lines: string[] = [];
        let from = 0;
        for (const to of [...points, data.length]) {
          lines.push(...chunked.push(data.subarray(from, to)).map((line) => line.toString('latin1')));
          from = to;
        }
        expect(lines).toEqual(expected);
        expect(chunked.overflow).toBe(whole.overflow);
      }),
      { numRuns: 2000 },
    );
  });
});
