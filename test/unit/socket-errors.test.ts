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
