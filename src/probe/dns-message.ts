/**
 * DNS messages as the scanner needs them (RFC 1035): a query for one name and type, and the
 * header, question and answer section of its reply. Our own parser rather than dns2's
 * `Packet.parse`, which trusts the header's section counts (a 12-byte reply claiming 65535
 * records runs 262140 record decoders, each throwing) and follows compression pointers as far
 * as they go (a 64 KB reply of chained pointers costs O(n) per name, O(n^2) per reply): a guard
 * in front of it would have to walk the message anyway. This one reads a message once, front
 * to back, in time bounded by its length: counts are checked against the bytes there are,
 * pointers must point backwards and at most MAX_POINTERS of them make one name.
 */

export type DnsRecordType = 'A' | 'AAAA' | 'MX' | 'SOA';

export const TYPE_CODES: Readonly<Record<DnsRecordType, number>> = { A: 1, SOA: 6, MX: 15, AAAA: 28 };
const CLASS_IN = 1;
const HEADER_BYTES = 12;
/** The smallest question: the root name (1 byte), type and class. */
const MIN_QUESTION_BYTES = 5;
/** The smallest record: the root name, type, class, TTL and rdata length. */
const MIN_RECORD_BYTES = 11;
const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;
/** A 255-byte name has at most 127 labels, so no honest name needs more pointers than that. */
const MAX_POINTERS = 127;

/** One record of the answer section; other types count as answers but carry no data. */
export interface DnsRecord {
  readonly name: string;
  readonly type: number;
  readonly address?: string;
  readonly exchange?: string;
  readonly priority?: number;
  /** SOA: the primary name server. */
  readonly primary?: string;
}

export interface DnsReply {
  readonly id: number;
  readonly rcode: number;
  readonly truncated: boolean;
  readonly answers: readonly DnsRecord[];
}

export class MalformedMessage extends Error {
  override readonly name = 'MalformedMessage';
}

const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$/;

/** The query's wire form: recursion desired, one question of class IN. Throws on a name DNS cannot carry. */
export function encodeQuery(id: number, name: string, type: DnsRecordType): Buffer {
  const labels = name.replace(/\.$/, '').split('.').filter((label, index, all) => label !== '' || all.length > 1);
  if (labels.some((label) => label.length > MAX_LABEL_BYTES || !HOST_LABEL.test(label))) throw new MalformedMessage(`${JSON.stringify(name)} is not a host name`);
  const encodedName = Buffer.concat([...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])), Buffer.from([0])]);
  if (encodedName.length > MAX_NAME_BYTES) throw new MalformedMessage(`${name.slice(0, 64)}...: longer than ${MAX_NAME_BYTES} bytes`);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(TYPE_CODES[type], 0);
  tail.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodedName, tail]);
}

/** The reply's ID, or undefined when it is too short to be a reply or is a query: checked before any parsing. */
export function replyId(bytes: Buffer): number | undefined {
  if (bytes.length < HEADER_BYTES || (bytes[2]! & 0x80) === 0) return undefined;
  return bytes.readUInt16BE(0);
}

/** Printable presentation of a label: dots, backslashes and bytes outside graphic ASCII as \DDD (RFC 4343). */
function labelText(bytes: Buffer, start: number, length: number): string {
  let text = '';
  for (let i = start; i < start + length; i += 1) {
    const byte = bytes[i]!;
    text += byte > 0x20 && byte < 0x7f && byte !== 0x2e && byte !== 0x5c ? String.fromCharCode(byte) : `\\${String(byte).padStart(3, '0')}`;
  }
  return text;
}

/** Reads the name at `offset`; returns it and where the bytes after it (not after its pointer's target) begin. */
function readName(bytes: Buffer, offset: number, limit: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  let next: number | undefined;
  let pointers = 0;
  let nameBytes = 1;
  // Every pointer must land before the label sequence that holds it: no loops, whatever the bytes.
  let floor = offset;
  for (;;) {
    if (at >= limit) throw new MalformedMessage(`name at byte ${offset} runs past the end`);
    const length = bytes[at]!;
    if (length === 0) return { name: labels.join('.'), next: next ?? at + 1 };
    const kind = length & 0xc0;
    if (kind === 0xc0) {
      if (at + 1 >= limit) throw new MalformedMessage(`pointer at byte ${at} runs past the end`);
      const target = ((length & 0x3f) << 8) | bytes[at + 1]!;
      next ??= at + 2;
      pointers += 1;
      if (pointers > MAX_POINTERS) throw new MalformedMessage(`name at byte ${offset}: more than ${MAX_POINTERS} compression pointers`);
      if (target >= floor) throw new MalformedMessage(`name at byte ${offset}: compression pointer at byte ${at} does not point backwards`);
      floor = target;
      at = target;
      continue;
    }
    if (kind !== 0) throw new MalformedMessage(`name at byte ${offset}: label type 0x${kind.toString(16)}`);
    nameBytes += length + 1;
    if (nameBytes > MAX_NAME_BYTES) throw new MalformedMessage(`name at byte ${offset}: longer than ${MAX_NAME_BYTES} bytes`);
    if (at + 1 + length > limit) throw new MalformedMessage(`label at byte ${at} runs past the end`);
    labels.push(labelText(bytes, at + 1, length));
    at += 1 + length;
  }
}

function ipv4(bytes: Buffer, at: number): string {
  return [...bytes.subarray(at, at + 4)].join('.');
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as ::. */
function ipv6(bytes: Buffer, at: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(at + 2 * i));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function readRecord(bytes: Buffer, offset: number): { record: DnsRecord; next: number } {
  const { name, next: fixed } = readName(bytes, offset, bytes.length);
  if (fixed + 10 > bytes.length) throw new MalformedMessage(`record at byte ${offset} runs past the end`);
  const type = bytes.readUInt16BE(fixed);
  const rdataLength = bytes.readUInt16BE(fixed + 8);
  const rdata = fixed + 10;
  const end = rdata + rdataLength;
  if (end > bytes.length) throw new MalformedMessage(`record at byte ${offset}: its data runs past the end`);
  const sized = (expected: number): void => {
    if (rdataLength !== expected) throw new MalformedMessage(`record at byte ${offset}: ${rdataLength} bytes of data, not ${expected}`);
  };
  // A name inside rdata may point anywhere before it, but its own bytes end within the rdata.
  const nameIn = (at: number): { name: string; next: number } => readName(bytes, at, end);
  let record: DnsRecord = { name, type };
  if (type === TYPE_CODES.A) {
    sized(4);
    record = { name, type, address: ipv4(bytes, rdata) };
  } else if (type === TYPE_CODES.AAAA) {
    sized(16);
    record = { name, type, address: ipv6(bytes, rdata) };
  } else if (type === TYPE_CODES.MX) {
    if (rdataLength < 3) throw new MalformedMessage(`record at byte ${offset}: MX data too short`);
    record = { name, type, priority: bytes.readUInt16BE(rdata), exchange: nameIn(rdata + 2).name };
  } else if (type === TYPE_CODES.SOA) {
    const primary = nameIn(rdata);
    const admin = nameIn(primary.next);
    if (admin.next + 20 !== end) throw new MalformedMessage(`record at byte ${offset}: SOA data of the wrong size`);
    record = { name, type, primary: primary.name };
  }
  return { record, next: end };
}

/**
 * The reply to our question: header, the question echoed (when the server sent one back) and
 * the answer section (not read when truncated). Authority and additional sections are counted,
 * not read. Throws MalformedMessage.
 */
export function parseReply(bytes: Buffer, question: { readonly name: string; readonly type: DnsRecordType }): DnsReply {
  if (bytes.length < HEADER_BYTES) throw new MalformedMessage(`${bytes.length} bytes, shorter than a DNS header`);
  const flags = bytes.readUInt16BE(2);
  const questions = bytes.readUInt16BE(4);
  const answers = bytes.readUInt16BE(6);
  const records = answers + bytes.readUInt16BE(8) + bytes.readUInt16BE(10);
  const truncated = (flags & 0x0200) !== 0;
  if (questions > 1) throw new MalformedMessage(`${questions} questions in a reply to one`);
  // A truncated reply may have lost the records its counts announce (it is asked again over TCP).
  if (!truncated && HEADER_BYTES + questions * MIN_QUESTION_BYTES + records * MIN_RECORD_BYTES > bytes.length) {
    throw new MalformedMessage(`counts of ${questions} question(s) and ${records} record(s) do not fit in ${bytes.length} bytes`);
  }
  let offset = HEADER_BYTES;
  if (questions === 1) {
    const echoed = readName(bytes, offset, bytes.length);
    if (echoed.next + 4 > bytes.length) throw new MalformedMessage('question runs past the end');
    const asked = question.name.replace(/\.$/, '').toLowerCase();
    if (echoed.name.toLowerCase() !== asked || bytes.readUInt16BE(echoed.next) !== TYPE_CODES[question.type]) {
      throw new MalformedMessage(`answers another question (${echoed.name || '.'} type ${bytes.readUInt16BE(echoed.next)})`);
    }
    offset = echoed.next + 4;
  }
  const read: DnsRecord[] = [];
  for (let i = 0; i < answers && !truncated; i += 1) {
    const { record, next } = readRecord(bytes, offset);
    read.push(record);
    offset = next;
  }
  return { id: bytes.readUInt16BE(0), rcode: flags & 0x000f, truncated, answers: read };
}
