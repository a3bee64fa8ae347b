/**
 * IP addresses and CIDR blocks for the `cidr` operator, as 128-bit integers so IPv4 and IPv6 share
 * one containment test. Only plain dotted-quad IPv4 and RFC 4291 textual IPv6 (with `::`
 * compression) are read: anything else is what AWS calls a "Nonstandard IP address".
 */

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface CidrBlock {
  version: 4 | 6;
  network: bigint;
  bits: number;
}

export function parseIp(text: string): IpAddress | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

function parseIpv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return { version: 4, value };
}

function parseIpv6(text: string): IpAddress | undefined {
  if (!text.includes(':') || !/^[0-9a-fA-F:]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (s: string) => (s === '' ? [] : s.split(':'));
  const head = group(halves[0]);
  const tail = halves.length === 2 ? group(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return { version: 6, value };
}

function width(version: 4 | 6): bigint {
  return version === 4 ? 32n : 128n;
}

/** The block `address/bits`; host bits set in `address` are ignored, as AWS does. */
export function cidrBlock(address: IpAddress, bits: number): CidrBlock {
  const shift = width(address.version) - BigInt(bits);
  return { version: address.version, network: (address.value >> shift) << shift, bits };
}

export function inBlock(address: IpAddress, block: CidrBlock): boolean {
  if (address.version !== block.version) return false;
  const shift = width(block.version) - BigInt(block.bits);
  return (address.value >> shift) << shift === block.network;
}
