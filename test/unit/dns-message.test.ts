import fc from 'fast-check';
import DNS from 'dns2';
import { encodeQuery, MalformedMessage, parseReply, replyId } from '../../src/probe/dns-message.js';
import { countsBomb, pointerChainMessage, pointerLoopMessage, truncatedReply } from '../helpers/hostile-dns.js';

const { Packet } = DNS;

/** A reply as dns2's encoder (an independent implementation, with name compression) writes it. */
function dns2Reply(id: number, name: string, type: number, answers: object[], flags: { tc?: number; rcode?: number } = {}): Buffer {
  const packet = new Packet();
  packet.header = { ...packet.header, id, qr: 1, rd: 1, ra: 1, ...flags } as never;
  packet.questions.push({ name, type, class: Packet.CLASS.IN } as never);
  for (const answer of answers) packet.answers.push({ name, type, class: Packet.CLASS.IN, ttl: 60, ...answer } as never);
  return packet.toBuffer();
}

const malformed = (bytes: Buffer, name = 'mail.example.test', type: 'A' | 'AAAA' | 'MX' | 'SOA' = 'A'): string => {
  try {
    parseReply(bytes, { name, type });
  } catch (error) {
    if (error instanceof MalformedMessage) return error.message;
    throw error;
  }
  throw new Error('parsed');
};

describe('DNS messages: the query we send', () => {
  it('is read by dns2 as one recursive question of class IN', () => {
    const parsed = Packet.parse(encodeQuery(0xbeef, 'Mail.Example.test.', 'AAAA'));
    expect(parsed.header).toMatchObject({ id: 0xbeef, qr: 0, rd: 1, qdcount: 1, ancount: 0 });
    expect(parsed.questions).toEqual([expect.objectContaining({ name: 'Mail.Example.test', type: Packet.TYPE.AAAA, class: Packet.CLASS.IN })]);
    expect(Packet.parse(encodeQuery(1, '', 'SOA')).questions[0]).toMatchObject({ name: '', type: Packet.TYPE.SOA });
  });

  it('refuses names DNS cannot carry or that are not host names', () => {
    expect(() => encodeQuery(1, `${'a'.repeat(64)}.test`, 'A')).toThrow(MalformedMessage);
    expect(() => encodeQuery(1, Array.from({ length: 60 }, () => 'abcd').join('.'), 'A')).toThrow(/longer than 255 bytes/);
    expect(() => encodeQuery(1, 'bad\\032name.test', 'A')).toThrow(/not a host name/);
    expect(() => encodeQuery(1, 'a..b', 'A')).toThrow(/not a host name/);
  });
});

describe('DNS messages: replies', () => {
  it('reads A, AAAA, MX and SOA answers as dns2 writes them (compressed names included)', () => {
    const a = parseReply(dns2Reply(7, 'mail.example.test', Packet.TYPE.A, [{ address: '198.18.0.25' }, { address: '198.18.0.26' }]), { name: 'mail.example.test', type: 'A' });
    expect(a).toEqual({
      id: 7,
      rcode: 0,
      truncated: false,
      answers: [
        { name: 'mail.example.test', type: 1, address: '198.18.0.25' },
        { name: 'mail.example.test', type: 1, address: '198.18.0.26' },
      ],
    });
    const aaaa = parseReply(dns2Reply(8, 'v6.example.test', Packet.TYPE.AAAA, [{ address: '2001:2:0:0:0:0:0:53' }, { address: '2001:2:0:1:0:0:1:0' }]), { name: 'V6.example.TEST', type: 'AAAA' });
    expect(aaaa.answers.map((record) => record.address)).toEqual(['2001:2::53', '2001:2:0:1::1:0']);
    const mx = parseReply(dns2Reply(9, 'example.test', Packet.TYPE.MX, [{ exchange: 'mx1.example.test', priority: 10 }]), { name: 'example.test', type: 'MX' });
    expect(mx.answers).toEqual([{ name: 'example.test', type: 15, exchange: 'mx1.example.test', priority: 10 }]);
    const soa = { primary: 'ns.test', admin: 'admin.test', serial: 1, refresh: 60, retry: 60, expiration: 60, minimum: 60 };
    expect(parseReply(dns2Reply(10, '', Packet.TYPE.SOA, [soa]), { name: '', type: 'SOA' }).answers).toEqual([{ name: '', type: 6, primary: 'ns.test' }]);
  });

  it('gives the rcode and the TC bit; a truncated reply is not read further', () => {
    expect(parseReply(dns2Reply(1, 'missing.test', Packet.TYPE.A, [], { rcode: 3 }), { name: 'missing.test', type: 'A' })).toMatchObject({ rcode: 3, answers: [] });
    const cut = dns2Reply(2, 'big.test', Packet.TYPE.A, [{ address: '198.18.0.1' }], { tc: 1 }).subarray(0, 40);
    expect(parseReply(cut, { name: 'big.test', type: 'A' })).toEqual({ id: 2, rcode: 0, truncated: true, answers: [] });
  });

  it('keeps the bytes of odd labels printable (\\DDD), whatever the server sent', () => {
    const name = Buffer.from([3, 0x61, 0x1b, 0x2e, 4, 0x74, 0x65, 0x73, 0x74, 0]);
    const bytes = Buffer.concat([Buffer.from([0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0]), name, Buffer.from([0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, 12])]);
    expect(parseReply(bytes, { name: 'x', type: 'MX' }).answers).toEqual([{ name: 'a\\027\\046.test', type: 15, priority: 10, exchange: 'a\\027\\046.test' }]);
  });

  it('refuses a reply to another question', () => {
    expect(malformed(dns2Reply(3, 'other.test', Packet.TYPE.A, []))).toBe('answers another question (other.test type 1)');
    expect(malformed(dns2Reply(3, 'mail.example.test', Packet.TYPE.AAAA, []))).toMatch(/^answers another question/);
  });

  it('reads the ID before anything else, and only of a reply long enough to have one', () => {
    expect(replyId(countsBomb()(Buffer.from([0x12, 0x34])))).toBe(0x1234);
    expect(replyId(Buffer.alloc(11))).toBeUndefined();
    expect(replyId(encodeQuery(5, 'a.test', 'A'))).toBeUndefined();
  });
});

describe('DNS messages: hostile replies are refused in time bounded by their length', () => {
  const query = encodeQuery(0x4242, 'mail.example.test', 'A');

  it('a 12-byte header claiming 65535 records in each section', () => {
    expect(malformed(countsBomb()(query))).toBe('65535 questions in a reply to one');
    const one = Buffer.from(countsBomb()(query));
    one.writeUInt16BE(1, 4);
    expect(malformed(one)).toBe('counts of 1 question(s) and 196605 record(s) do not fit in 12 bytes');
  });

  it('64 KB of chained compression pointers: refused after 127 pointers', () => {
    const chain = pointerChainMessage(0x4242);
    expect(chain.length).toBeGreaterThan(65_000);
    expect(malformed(chain)).toBe(`name at byte ${12 + 11 + 32_000}: more than 127 compression pointers`);
  });

  it('a pointer to itself, and two pointers to each other', () => {
    expect(malformed(pointerLoopMessage(1))).toBe('name at byte 12: compression pointer at byte 12 does not point backwards');
    expect(malformed(pointerLoopMessage(1, true))).toBe('name at byte 25: compression pointer at byte 23 does not point backwards');
  });

  it('a record cut off in the middle, and data running past the end', () => {
    expect(malformed(truncatedReply(query))).toBe('record at byte 35 runs past the end');
    const a = dns2Reply(4, 'mail.example.test', Packet.TYPE.A, [{ address: '198.18.0.1' }]);
    expect(malformed(a.subarray(0, a.length - 1))).toBe('record at byte 35: its data runs past the end');
    const long = Buffer.from(a);
    long.writeUInt16BE(5, long.length - 6);
    expect(malformed(Buffer.concat([long, Buffer.alloc(1)]))).toBe('record at byte 35: 5 bytes of data, not 4');
  });

  it('any bytes, and any mutation of a real reply: an answer or MalformedMessage, nothing else', () => {
    const real = dns2Reply(9, 'example.test', Packet.TYPE.MX, [{ exchange: 'mx1.example.test', priority: 10 }, { exchange: 'mx2.example.test', priority: 20 }]);
    const mutated = fc
      .array(fc.tuple(fc.nat(real.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
      .map((edits) => {
        const copy = Buffer.from(real);
        for (const [at, value] of edits) copy[at] = value;
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 12, maxLength: 2048 }).map((bytes) => Buffer.from(bytes)), mutated), (bytes) => {
        try {
          const reply = parseReply(bytes, { name: 'example.test', type: 'MX' });
          expect(reply.answers.length).toBeLessThanOrEqual(bytes.length / 11);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessage);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
