import { encodeQuery, MalformedMessage, parseReply, replyId } from '../../src/probe/dns-message.js';
import { countsBomb, pointerChainMessage, pointerLoopMessage, truncatedReply } from '../helpers/hostile-dns.js';

/** The bounded parser: hostile replies are refused by their own bytes, before any work proportional to what they claim. */
describe('DNS reply parser', () => {
  const question = { name: 'mail.example.test', type: 'A' as const };
  const query = encodeQuery(0x1234, question.name, 'A');

  it('reads the ID of a reply from its header alone, and nothing from a query or a runt', () => {
    expect(replyId(Buffer.concat([Buffer.from([0x12, 0x34, 0x81, 0x80]), Buffer.alloc(8)]))).toBe(0x1234);
    expect(replyId(query)).toBeUndefined();
    expect(replyId(Buffer.from([0x12, 0x34, 0x81]))).toBeUndefined();
  });

  it('refuses 12 bytes whose section counts claim 65535 records each', () => {
    const bomb = countsBomb()(query);
    expect(bomb).toHaveLength(12);
    expect(() => parseReply(bomb, question)).toThrow(MalformedMessage);
    expect(() => parseReply(bomb, question)).toThrow(/65535 questions/);
    const answersOnly = Buffer.from(bomb);
    answersOnly.writeUInt16BE(0, 4);
    expect(() => parseReply(answersOnly, question)).toThrow(/do not fit in 12 bytes/);
  });

  it('refuses a name that points at itself, and two names that point at each other', () => {
    expect(() => parseReply(pointerLoopMessage(1), question)).toThrow(MalformedMessage);
    expect(() => parseReply(pointerLoopMessage(1, true), question)).toThrow(MalformedMessage);
  });

  it('refuses a 64 KB reply of chained compression pointers', () => {
    const chain = pointerChainMessage(1);
    expect(chain.length).toBeGreaterThan(60_000);
    expect(() => parseReply(chain, question)).toThrow(MalformedMessage);
  });

  it('refuses a reply cut off inside its answer', () => {
    expect(() => parseReply(truncatedReply(query), question)).toThrow(MalformedMessage);
  });

  it('reads an honest answer', () => {
    const answer = Buffer.concat([
      Buffer.from([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]),
      query.subarray(12),
      Buffer.from([0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 198, 18, 0, 25]),
    ]);
    const reply = parseReply(answer, question);
    expect(reply).toMatchObject({ id: 0x1234, rcode: 0, truncated: false });
    expect(reply.answers).toHaveLength(1);
    expect(reply.answers[0]).toMatchObject({ type: 1, address: '198.18.0.25' });
  });
});
