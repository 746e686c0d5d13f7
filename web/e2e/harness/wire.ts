// Everything a page sends to the cobrowse server over its WebSockets, decoded as docs/PROTOCOL.md
// says: text frames as they are, binary DOM frames as their JSON payload (12-byte header, then the
// payload, deflate-raw compressed when flag bit 0 is set), binary pointer moves as the JSON
// `pointer` message they stand for. For privacy tests that search the wire.

import type { Page } from '@playwright/test';
import { inflateRawSync } from 'node:zlib';
import { POINTER_MOVE_TAG, pointerMoveDecoder } from '../../packages/protocol/src/frame';

/** The 12-byte DOM frame header. */
const HEADER_LEN = 12;
const FLAG_DEFLATE = 1;

export interface WireTap {
  /** Every frame sent so far, decoded to text (control JSON, or a DOM frame's JSON payload). */
  sent(): string[];
  /** How many binary DOM frames were sent so far. */
  domFrames(): number;
}

/** Decodes one binary DOM frame to its JSON text; throws on a malformed frame. */
export function decodeDomFrame(bytes: Buffer): string {
  if (bytes.length < HEADER_LEN) throw new Error(`DOM frame of ${bytes.length} bytes`);
  const flags = bytes.readUInt8(2);
  const rawLen = bytes.readUInt32BE(8);
  const payload = bytes.subarray(HEADER_LEN);
  const raw = flags & FLAG_DEFLATE ? inflateRawSync(payload) : payload;
  if (raw.length !== rawLen) throw new Error(`DOM frame payload is ${raw.length} bytes, header says ${rawLen}`);
  return raw.toString('utf8');
}

/** Starts recording the frames every WebSocket of `page` sends (call before the page connects). */
export function tapWebSockets(page: Page): WireTap {
  const frames: string[] = [];
  let dom = 0;
  page.on('websocket', (ws) => {
    // Pointer moves, binary deltas, as the JSON `pointer` message they replace (what a secret's
    // digits would show as).
    const pointerMove = pointerMoveDecoder();
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        frames.push(payload);
      } else if (payload[0] === POINTER_MOVE_TAG) {
        const p = pointerMove(payload);
        if (!p) throw new Error(`bad pointer move ${payload.toString('hex')}`);
        frames.push(JSON.stringify({ type: 'pointer', x: p.x, y: p.y }));
      } else {
        dom += 1;
        frames.push(decodeDomFrame(payload));
      }
    });
  });
  return { sent: () => frames, domFrames: () => dom };
}

/** Every substring of `secret` of `min` or more characters (the whole secret included). */
export function fragments(secret: string, min = 4): string[] {
  const out = new Set<string>();
  for (let len = min; len <= secret.length; len++) {
    for (let i = 0; i + len <= secret.length; i++) out.add(secret.slice(i, i + len));
  }
  return [...out];
}

/** A fragment made of digits (and the spaces a formatted card number has) only. */
function isNumeric(fragment: string): boolean {
  return /^[\d ]+$/.test(fragment) && /\d/.test(fragment);
}

/**
 * Where `piece` (a fragment of `secret`) occurs in `hay` as something the secret could have
 * leaked as; -1 when it does not. A numeric fragment does not count inside a decimal number
 * (`182.26815`, a rendered size or an offset in a frame: layout, never a secret's digits), inside a
 * longer run of digits that is not itself part of the secret (a 9-digit session token, a port), nor
 * as a short run of digits inside a long run of hexadecimal characters with letters (a random
 * identifier or hash, such as a style layer's name): those match a 4-digit fragment by chance.
 */
function occurrence(hay: string | Buffer, piece: string, secret: string): number {
  const needle = Buffer.from(piece, 'utf8');
  const find = (from: number): number => (typeof hay === 'string' ? hay.indexOf(piece, from) : hay.indexOf(needle, from));
  const text = (i: number): string => (typeof hay === 'string' ? hay.charAt(i) : String.fromCharCode(hay[i] ?? 0));
  const isDigit = (c: string): boolean => c >= '0' && c <= '9';
  const isNum = (c: string): boolean => isDigit(c) || c === '.';
  const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  /** The run of characters `is` around [at, at + length). */
  const run = (at: number, is: (c: string) => boolean): [number, number] => {
    let from = at;
    while (from > 0 && is(text(from - 1))) from--;
    let to = at + piece.length;
    while (to < hay.length && is(text(to))) to++;
    return [from, to];
  };
  const slice = (from: number, to: number): string => {
    let out = '';
    for (let i = from; i < to; i++) out += text(i);
    return out;
  };
  const secretDigits = secret.replace(/\D/g, '');
  for (let at = find(0); at >= 0; at = find(at + 1)) {
    if (!isNumeric(piece)) return at;
    const [nf, nt] = run(at, isNum);
    if (slice(nf, nt).includes('.')) continue;
    if (/^\d+$/.test(piece)) {
      const [df, dt] = run(at, isDigit);
      if (dt - df > piece.length && !secretDigits.includes(slice(df, dt))) continue;
      const [hf, ht] = run(at, isHex);
      // (Only a short run of digits: a long one inside letters is the secret's, whatever surrounds it.)
      if (dt - df < 6 && ht - hf >= 12 && /[a-fA-F]/.test(slice(hf, ht))) continue;
    }
    return at;
  }
  return -1;
}

/**
 * The fragments (of four or more characters) of each secret found in `haystacks`, as
 * `secret ⟵ fragment @ where: …context…` lines; empty when nothing leaked. Fragments of four
 * characters are contained in every longer one, so only those are searched.
 *
 * `digitsFrom` (default 4): the shortest fragment searched when it is numeric (digits, and the
 * spaces of a formatted card number). Server logs and database files are full of unrelated numbers
 * (9-digit session tokens, ports, byte counts, argon2 hashes, binary pages); there a 4-character
 * fragment of a card number matches by chance, so those haystacks are searched for numeric
 * fragments of 6 or more (and every other fragment from 4 on). Anywhere, a numeric fragment inside
 * a decimal number (a rendered size, an offset), a longer number that is not part of the secret (a
 * session token) or a long hexadecimal identifier does not count (`occurrence`).
 */
export function leaks(secrets: readonly string[], haystacks: Record<string, string | Buffer>, digitsFrom = 4): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    // Numeric fragments from `digitsFrom` characters, the others from 4 (a secret of four digits
    // is then searched as a whole, or not at all when `digitsFrom` is larger).
    const pieces = fragments(secret, 4).filter((f) => f.length === (isNumeric(f) ? Math.max(4, digitsFrom) : 4));
    for (const [where, hay] of Object.entries(haystacks)) {
      for (const piece of pieces) {
        const at = occurrence(hay, piece, secret);
        if (at < 0) continue;
        // What surrounds the hit, to tell a leak from a number that matches by chance.
        const around = typeof hay === 'string' ? hay.slice(Math.max(0, at - 40), at + piece.length + 40) : hay.subarray(Math.max(0, at - 40), at + piece.length + 40).toString('latin1');
        found.push(`${JSON.stringify(secret)} ⟵ ${JSON.stringify(piece)} @ ${where}: …${JSON.stringify(around)}…`);
      }
    }
  }
  return found;
}
