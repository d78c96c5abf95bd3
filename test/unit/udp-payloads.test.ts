import { udpPayloadFor } from '../../src/probe/udp-payloads.js';

describe('UDP payloads', () => {
  it('NTP on 123: a 48-byte version 3 client request', () => {
    const ntp = udpPayloadFor(123);
    expect(ntp).toHaveLength(48);
    expect(ntp[0]).toBe(0x1b);
    expect(ntp.subarray(1).every((byte) => byte === 0)).toBe(true);
  });

  it('CLDAP on 389: a well-formed BER search request for objectclass', () => {
    const cldap = udpPayloadFor(389);
    expect(cldap[0]).toBe(0x30);
    expect(cldap[1]).toBe(cldap.length - 2);
    const search = cldap.indexOf(0x63);
    expect(cldap[search + 1]).toBe(cldap.length - search - 2);
    expect(cldap.toString('latin1')).toContain('objectclass');
  });

  it('every other port: an empty datagram', () => {
    expect(udpPayloadFor(5060)).toHaveLength(0);
    expect(udpPayloadFor(88)).toHaveLength(0);
  });
});
