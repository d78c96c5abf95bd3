import { legacyOutcome, secondSessionRefused } from '../../src/probe/tls-legacy.js';
import type { TlsFacts } from '../../src/probe/tls-facts.js';

const failed = (reason: 'tls' | 'timeout', message: string): TlsFacts => ({ handshake: 'failed', hostName: 'x', failure: { phase: 'TLS handshake', reason, message } });

describe('reading the TLS 1.1-limited handshake', () => {
  test('completed: accepted, with the version', () => {
    expect(legacyOutcome({ handshake: 'ok', hostName: 'x', version: 'TLSv1' }, undefined)).toEqual({ tested: true, accepted: true, version: 'TLSv1' });
  });

  test('refused by the server (an alert): tested, not accepted', () => {
    expect(legacyOutcome(failed('tls', 'TLS handshake failed: ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION tlsv1 alert protocol version'), undefined)).toEqual({
      tested: true,
      accepted: false,
    });
  });

  test('this machine cannot offer TLS 1.0/1.1: says so instead of guessing', () => {
    expect(legacyOutcome(failed('tls', 'TLS handshake failed: ERR_SSL_NO_PROTOCOLS_AVAILABLE no protocols available'), undefined)).toEqual({
      tested: false,
      note: 'could not test: the local OpenSSL cannot offer TLS 1.0/1.1',
    });
  });

  test('a timeout or a dialogue that never reached TLS: not tested, and why', () => {
    expect(legacyOutcome(failed('timeout', 'timed out waiting for the TLS handshake after 5000 ms'), undefined)).toEqual({
      tested: false,
      note: 'could not test: timed out waiting for the TLS handshake after 5000 ms',
    });
    expect(legacyOutcome(undefined, 'timed out waiting for the EHLO reply after 10 ms')).toEqual({
      tested: false,
      note: 'could not test: timed out waiting for the EHLO reply after 10 ms',
    });
    expect(legacyOutcome(undefined, undefined)).toEqual({ tested: false, note: 'could not test: the dialogue ended before TLS' });
  });

  test('a second session the service turned away: not tested, with the greeting it gave, clipped', () => {
    expect(legacyOutcome(undefined, secondSessionRefused('421 4.3.2 too many connections'))).toEqual({
      tested: false,
      note: 'could not test: the service refused a second session beside the main one: 421 4.3.2 too many connections',
    });
    const long = secondSessionRefused(`* BYE ${'x'.repeat(500)}`);
    expect(long).toHaveLength('the service refused a second session beside the main one: '.length + 123);
    expect(long.endsWith('x...')).toBe(true);
  });
});
