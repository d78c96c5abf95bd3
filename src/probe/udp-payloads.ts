/**
 * What to send to well-known UDP ports: many services ignore an empty datagram, and silence
 * then says only open|filtered. Anything else gets an empty datagram.
 */

/** NTP client request: LI 0, version 3, mode 3 (client), the rest zero. */
const NTP = Buffer.concat([Buffer.from([0x1b]), Buffer.alloc(47)]);

/** CLDAP search of the rootDSE for (objectClass=*), as domain controllers answer on 389/udp. */
const CLDAP = Buffer.from([
  0x30, 0x25, 0x02, 0x01, 0x01, 0x63, 0x20, 0x04, 0x00, 0x0a, 0x01, 0x00, 0x0a, 0x01, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x01, 0x01, 0x00,
  0x87, 0x0b, ...Buffer.from('objectclass', 'latin1'), 0x30, 0x00,
]);

const PAYLOADS: ReadonlyMap<number, Buffer> = new Map([
  [123, NTP],
  [389, CLDAP],
]);

const EMPTY = Buffer.alloc(0);

export const udpPayloadFor = (port: number): Buffer => PAYLOADS.get(port) ?? EMPTY;
