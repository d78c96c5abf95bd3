import fc from 'fast-check';
import { clip, sanitize } from '../../src/report/sanitize.js';
import { TERMINAL_UNSAFE, hostileGreeting } from '../helpers/report-fixtures.js';

describe('sanitize', () => {
  test('removes CSI, OSC, 8-bit CSI and other escape sequences, keeping the text around them', () => {
    expect(sanitize('a\u001b[31mred\u001b[0m b')).toBe('ared b');
    expect(sanitize('x\u001b]0;title\u0007y')).toBe('xy');
    expect(sanitize('x\u001b]8;;http://h/\u001b\\link\u001b]8;;\u001b\\y')).toBe('xlinky');
    expect(sanitize('x\u009b2Jy')).toBe('xy');
    expect(sanitize('x\u001bcy')).toBe('xy');
    expect(sanitize('x\u001bP1$r\u001b\\y')).toBe('xy');
  });

  test('removes C0/C1 controls, DEL and bidi overrides; lone surrogates become U+FFFD', () => {
    expect(sanitize('a\u0000b\u0007c\u007fd\u0085e')).toBe('abcde');
    expect(sanitize('safe \u202eevil\u202c')).toBe('safe evil');
    expect(sanitize('a\ud800b\udc00c')).toBe('a\ufffdb\ufffdc');
    expect(sanitize('pair \ud83d\ude00 kept')).toBe('pair \ud83d\ude00 kept');
  });

  test('newlines and tabs become spaces unless kept; a carriage return never survives', () => {
    expect(sanitize('one\r\ntwo\tthree\rfour')).toBe('one two three four');
    expect(sanitize('one\r\ntwo\tthree\rfour', { newlines: true })).toBe('one\ntwo\tthree\nfour');
  });

  test('no string whatsoever comes out with a terminal control in it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(TERMINAL_UNSAFE.test(sanitize(s))).toBe(false);
        expect(/[\u0000-\u0009\u000b-\u001f]/.test(sanitize(s, { newlines: true }).replace(/\t/g, ''))).toBe(false);
      }),
    );
  });

  test('the fixture greeting comes out readable and inert', () => {
    expect(sanitize(hostileGreeting())).toBe(
      "220 mail.contoso.com ]]> & <b>x</b> | `t` @admins 'q'  evil\ufffd Microsoft ESMTP MAIL Service ready at Fri, 27 Nov 2026 20:00:00 +0000",
    );
  });

  test('clip cuts on characters, not UTF-16 units, and marks the cut in plain ASCII', () => {
    expect(clip('abcdef', 5)).toBe('ab...');
    expect(clip('ab', 4)).toBe('ab');
    expect(clip('\ud83d\ude00'.repeat(5), 4)).toBe('\ud83d\ude00...');
    expect(clip('abcdef', 2)).toBe('ab');
  });
});
