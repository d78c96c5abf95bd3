import { localized } from '../../src/probe/local-route.js';
import { meaningOf } from '../../src/probe/socket-errors.js';

const failure = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code} 2001:2::1:443`), { code });

describe('reading connect and send errors: this machine or the network', () => {
  it('no route in this machine\'s own table (the route lookup failed too): not probed, no round trip', () => {
    for (const code of ['ENETUNREACH', 'EHOSTUNREACH']) {
      expect(meaningOf(failure(code), 'connection refused', { family: 6, routeMissing: 'ENETUNREACH' })).toEqual({
        state: 'error',
        error: `not probed: no route to it from this machine (${code})`,
        answered: false,
        code,
      });
    }
    expect(meaningOf(failure('EACCES'), 'connection refused', { family: 6, routeMissing: 'EACCES' })).toMatchObject({
      state: 'error',
      error: 'not probed: refused by this machine (a prohibit route or its firewall) (EACCES)',
      answered: false,
    });
    expect(meaningOf(failure('EINVAL'), 'connection refused', { family: 4, routeMissing: 'EINVAL' })).toMatchObject({ state: 'error', answered: false });
  });

  it('the same codes with a route: ICMP from a router, a network answer with its round trip', () => {
    expect(meaningOf(failure('ENETUNREACH'), 'connection refused', { family: 4 })).toEqual({ state: 'filtered', error: 'ICMP network unreachable (ENETUNREACH)', answered: true, code: 'ENETUNREACH' });
    expect(meaningOf(failure('EHOSTUNREACH'), 'connection refused', { family: 4 })).toMatchObject({ state: 'filtered', answered: true });
  });

  it('EACCES is ICMP admin-prohibited from the path, naming the family; on Windows it is the local firewall', () => {
    expect(meaningOf(failure('EACCES'), 'connection refused', { family: 6, platform: 'linux' })).toEqual({
      state: 'filtered',
      error: 'refused by a router or firewall on the path (ICMPv6 admin-prohibited) (EACCES)',
      answered: true,
      code: 'EACCES',
    });
    expect(meaningOf(failure('EACCES'), 'connection refused', { family: 4, platform: 'linux' }).error).toBe('refused by a router or firewall on the path (ICMP admin-prohibited) (EACCES)');
    expect(meaningOf(failure('EACCES'), 'connection refused', { family: 4, platform: 'win32' })).toEqual({
      state: 'error',
      error: "not probed: refused by this machine's firewall (EACCES)",
      answered: false,
      code: 'EACCES',
    });
  });

  it.each([
    ['EPERM', "refused by this machine's firewall"],
    ['EADDRNOTAVAIL', 'no local address to send from'],
    ['EAFNOSUPPORT', 'this machine has no network stack for this address family'],
    ['ENOBUFS', 'this machine is out of socket buffers'],
  ])('%s is always this machine: not probed, %s', (code, reason) => {
    expect(meaningOf(failure(code), 'ICMP port unreachable')).toEqual({ state: 'error', error: `not probed: ${reason} (${code})`, answered: false, code });
  });

  it('refused and reset are the network\'s answers; anything unknown is an error with its code, never a state', () => {
    expect(meaningOf(failure('ECONNREFUSED'), 'ICMP port unreachable')).toMatchObject({ state: 'closed', error: 'ICMP port unreachable', answered: true });
    expect(meaningOf(failure('ECONNRESET'), 'connection refused')).toMatchObject({ state: 'closed', answered: true });
    expect(meaningOf(Object.assign(new RangeError('Port should be > 0'), { code: 'ERR_SOCKET_BAD_PORT' }), 'x')).toEqual({
      state: 'error',
      error: 'ERR_SOCKET_BAD_PORT: Port should be > 0',
      answered: false,
      code: 'ERR_SOCKET_BAD_PORT',
    });
  });
});

describe("a prober's network answer that this machine's routing raised (any prober: service checks too)", () => {
  const unreachable = { state: 'filtered' as const, address: '2001:2::11', attempts: 1, rttMs: 0.1, error: 'ICMP network unreachable (ENETUNREACH)', errorCode: 'ENETUNREACH' };

  it('becomes not probed, without its round trip, when the route lookup fails too', async () => {
    const looked: string[] = [];
    const lookUp = async (address: string): Promise<string | undefined> => {
      looked.push(address);
      return 'ENETUNREACH';
    };
    expect(await localized(unreachable, '2001:2::11', lookUp)).toEqual({
      state: 'error',
      address: '2001:2::11',
      attempts: 1,
      error: 'not probed: no route to it from this machine (ENETUNREACH)',
      errorCode: 'ENETUNREACH',
    });
    expect(looked).toEqual(['2001:2::11']);
  });

  it('stays the network\'s answer when this machine has a route; other observations are not looked at', async () => {
    let lookups = 0;
    const lookUp = async (): Promise<string | undefined> => {
      lookups += 1;
      return undefined;
    };
    expect(await localized(unreachable, '2001:2::11', lookUp)).toBe(unreachable);
    const refused = { state: 'closed' as const, attempts: 1, rttMs: 1, errorCode: 'ECONNREFUSED' };
    expect(await localized(refused, '198.18.0.1', lookUp)).toBe(refused);
    const notProbed = { state: 'error' as const, attempts: 1, error: 'not probed: x (EACCES)', errorCode: 'EACCES' };
    expect(await localized(notProbed, '198.18.0.1', lookUp)).toBe(notProbed);
    expect(lookups).toBe(1);
  });
});
