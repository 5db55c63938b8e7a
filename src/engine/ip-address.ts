/**
 * IP addresses as Elasticsearch's `ip` field handles them (org.elasticsearch.common.network.InetAddresses):
 * parsed to 16 bytes (IPv4 as IPv4-mapped IPv6, as Lucene's InetAddressPoint encodes it) and printed
 * back as Java prints them (IPv4 dotted quad for IPv4 and IPv4-mapped addresses, IPv6 in lowercase
 * with the longest run of two or more zero groups compressed to `::`).
 */

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const part of parts) {
    // InetAddresses.parseOctet: decimal, 1 to 3 digits, no leading zero
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function parseIpv6(text: string): number[] | undefined {
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    // the dotted tail stands for the last two groups
    body = body.slice(0, lastColon + 1);
    if (!body.endsWith('::')) body = body.slice(0, -1);
  }
  const groupsWanted = 8 - tail.length;
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (halves.length === 2) {
    const head = parse(halves[0]!);
    const rest = parse(halves[1]!);
    if (!head || !rest) return undefined;
    const missing = groupsWanted - head.length - rest.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...rest];
  } else {
    const all = parse(body);
    if (!all) return undefined;
    if (all.length !== groupsWanted) return undefined;
    groups = all;
  }
  groups = [...groups, ...tail];
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return bytes;
}

/** The 16-byte form of an IPv4 or IPv6 literal, or undefined when it is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? Uint8Array.from(bytes) : undefined;
  }
  const v4 = parseIpv4(text);
  return v4 ? Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]) : undefined;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** How Elasticsearch prints an address (DocValueFormat.IP, InetAddresses.toAddrString). */
export function formatIp(bytes: Uint8Array): string {
  if (isV4Mapped(bytes)) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  // the longest run of zero groups (length >= 2; the first on a tie) becomes ::
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** -1, 0 or 1 as the 16-byte forms compare (the order of InetAddressPoint, so of sort and ranges). */
export function compareIp(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** The inclusive [lower, upper] bounds of a CIDR block (`10.0.0.0/8`, `2001:db8::/32`), or undefined. */
export function parseCidr(text: string): [Uint8Array, Uint8Array] | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  let prefix = Number(prefixText);
  const v4 = !text.slice(0, slash).includes(':');
  if (prefix > (v4 ? 32 : 128)) return undefined;
  if (v4) prefix += 96;
  const lower = Uint8Array.from(address);
  const upper = Uint8Array.from(address);
  for (let bit = prefix; bit < 128; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    lower[byte]! &= ~mask;
    upper[byte]! |= mask;
  }
  return [lower, upper];
}
