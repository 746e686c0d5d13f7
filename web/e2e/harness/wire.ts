// Everything a page sends to the cobrowse server over its WebSockets, decoded as docs/PROTOCOL.md
// says: text frames as they are, binary DOM frames as their JSON payload (12-byte header, then the
// payload, deflate-raw compressed when flag bit 0 is set). For privacy tests that search the wire.

import type { Page } from '@playwright/test';
import { inflateRawSync } from 'node:zlib';

/** The 12-byte DOM frame header. */
const HEADER_LEN = 12;
const FLAG_DEFLATE = 1;

export interface WireTap {
  /** Every frame sent so far, decoded to text (control JSON, or a DOM frame's JSON payload). */
  sent(): string[];
  /** How many binary (DOM) frames were sent so far. */
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
    ws.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') {
        frames.push(payload);
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

/**
 * The fragments (of four or more characters) of each secret found in `haystacks`, as
 * `secret ⟵ fragment @ where` lines; empty when nothing leaked. Fragments of four characters are
 * contained in every longer one, so only those are searched.
 *
 * `digitsFrom` (default 4): the shortest fragment searched when it is made of digits only. Server
 * logs and database files are full of unrelated numbers (9-digit session tokens, ports, argon2
 * hashes, binary pages); there a 4-digit fragment of a card number matches by chance, so those
 * haystacks are searched for digit-only fragments of 6 or more (and every fragment holding a
 * non-digit from 4 on).
 */
export function leaks(secrets: readonly string[], haystacks: Record<string, string | Buffer>, digitsFrom = 4): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    // Digit-only fragments from `digitsFrom` characters, the others from 4 (a secret of four
    // digits is then searched as a whole, or not at all when `digitsFrom` is larger).
    const pieces = fragments(secret, 4).filter((f) => f.length === (/^\d+$/.test(f) ? Math.max(4, digitsFrom) : 4));
    for (const [where, hay] of Object.entries(haystacks)) {
      for (const piece of pieces) {
        const hit = typeof hay === 'string' ? hay.includes(piece) : hay.includes(Buffer.from(piece, 'utf8'));
        if (hit) found.push(`${JSON.stringify(secret)} ⟵ ${JSON.stringify(piece)} @ ${where}`);
      }
    }
  }
  return found;
}
