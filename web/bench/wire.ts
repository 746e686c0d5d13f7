// Bytes on the wire for the bytes benchmark: a loopback TCP proxy in front of the cobrowse
// server that counts what the customer's browser sends on its co-browse socket after the
// WebSocket layer (permessage-deflate included, which `WebSocket.prototype.send` sizes and CDP's
// frame events, given before compression, do not show). Every connection is piped both ways
// unchanged; one whose first request is the upgrade of `/cobrowse/ws/customer` also has its
// browser → server bytes parsed as WebSocket frames after the request's header. Each message's
// payload is kept, so that `breakdown()` can inflate the socket's permessage-deflate stream (with
// its context) and tell, per kind of message, how many bytes went on the wire and how many before
// compression.

import net from 'node:net';
import zlib from 'node:zlib';
import { POINTER_MOVE_TAG } from '../packages/protocol/src/frame';

export interface WireCount {
  /** Data messages (text and binary) the customer sent. */
  messages: number;
  /** Of those, how many were compressed by the WebSocket layer (RSV1). */
  compressed: number;
  /** Payload bytes of data frames as sent (compressed when compressed): what the figure counts. */
  payload: number;
  /** Frame header bytes of data frames (2 to 14 each: length and mask key). */
  headers: number;
  /** Sockets counted, and whether each negotiated permessage-deflate (from the server's 101). */
  sockets: number;
  deflateSockets: number;
}

/** One kind of message in `WireCounter.breakdown()`. */
export interface WireKind {
  /** `text:hello`, `pointer move`, `full`, `batch:ui`, `batch:attr+text`, … */
  kind: string;
  messages: number;
  /** Payload bytes on the wire (as `WireCount.payload`). */
  wire: number;
  /** The same messages as the page gave them to `send()` (inflated). */
  raw: number;
}

/** A data message of the counted socket: its payload as on the wire, unmasked. */
interface WireMessage {
  binary: boolean;
  compressed: boolean;
  payload: Buffer;
}

export interface WireCounter {
  origin: string;
  count(): WireCount;
  /** Every message so far by kind (one counted socket), largest on the wire first. */
  breakdown(): Promise<WireKind[]>;
  stop(): Promise<void>;
}

/** Parses browser → server WebSocket frames fed in pieces, counting data frames. */
class FrameCounter {
  private buf = Buffer.alloc(0);
  private skip = 0;
  private headerOfData = false;
  private mask: Buffer | null = null;
  private fin = false;
  /** Payload pieces of the data frame being read and of the message's earlier frames. */
  private parts: Buffer[] = [];
  private current: WireMessage | null = null;
  readonly messages: WireMessage[] = [];
  constructor(private readonly c: WireCount) {}

  feed(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        if (this.headerOfData) {
          this.c.payload += n;
          this.parts.push(this.buf.subarray(0, n));
        }
        this.skip -= n;
        if (this.skip === 0) this.frameDone();
        this.buf = this.buf.subarray(n);
        if (this.skip > 0) return;
      }
      if (this.buf.length < 2) return;
      const b0 = this.buf[0] as number;
      const b1 = this.buf[1] as number;
      const len7 = b1 & 0x7f;
      const ext = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
      const head = 2 + ext + (b1 & 0x80 ? 4 : 0);
      if (this.buf.length < head) return;
      const len = len7 === 126 ? this.buf.readUInt16BE(2) : len7 === 127 ? Number(this.buf.readBigUInt64BE(2)) : len7;
      const opcode = b0 & 0x0f;
      const data = opcode < 8;
      this.headerOfData = data;
      if (data) {
        this.c.headers += head;
        if (opcode !== 0) {
          this.c.messages += 1;
          if (b0 & 0x40) this.c.compressed += 1;
          this.current = { binary: opcode === 2, compressed: (b0 & 0x40) !== 0, payload: Buffer.alloc(0) };
        }
      }
      this.mask = b1 & 0x80 ? Buffer.from(this.buf.subarray(head - 4, head)) : null;
      this.fin = (b0 & 0x80) !== 0;
      this.buf = this.buf.subarray(head);
      this.skip = len;
      if (len === 0) this.frameDone();
    }
  }

  /** A frame's payload is complete: unmask it onto its message, which ends with a FIN frame. */
  private frameDone(): void {
    if (!this.headerOfData || !this.current) {
      this.parts = [];
      return;
    }
    const data = Buffer.concat(this.parts);
    this.parts = [];
    if (this.mask) for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) ^ (this.mask[i & 3] as number);
    this.current.payload = Buffer.concat([this.current.payload, data]);
    if (this.fin) {
      this.messages.push(this.current);
      this.current = null;
    }
  }
}

/** What kind of message `raw` (inflated) is: a control message's type, or a DOM frame's kind and ops. */
function kindOf(m: WireMessage, raw: Buffer): string {
  if (!m.binary) {
    try {
      return `text:${String((JSON.parse(raw.toString('utf8')) as { type?: unknown }).type)}`;
    } catch {
      return 'text:unreadable';
    }
  }
  if (raw[0] === POINTER_MOVE_TAG) return 'pointer move';
  if (raw[0] !== 1) return `binary:${raw[0] ?? 'empty'}`;
  if (raw[1] === 1) return 'full';
  let body = raw.subarray(12);
  if ((raw[2] ?? 0) & 1) body = zlib.inflateRawSync(body);
  try {
    const ops = (JSON.parse(body.toString('utf8')) as { ops: Array<{ o: string }> }).ops;
    return `batch:${[...new Set(ops.map((o) => o.o))].sort().join('+')}`;
  } catch {
    return 'batch:unreadable';
  }
}

/** Inflates the messages of one socket in order (permessage-deflate keeps its context across messages). */
async function breakdownOf(messages: WireMessage[]): Promise<WireKind[]> {
  const inflater = zlib.createInflateRaw();
  const out: Buffer[] = [];
  inflater.on('data', (b: Buffer) => out.push(b));
  const byKind = new Map<string, WireKind>();
  for (const m of messages) {
    let raw = m.payload;
    if (m.compressed) {
      // RFC 7692: the sender removed the sync flush's empty block; put it back.
      inflater.write(Buffer.concat([m.payload, Buffer.from([0, 0, 0xff, 0xff])]));
      await new Promise<void>((resolve) => inflater.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
      raw = Buffer.concat(out.splice(0));
    }
    const kind = kindOf(m, raw);
    const k = byKind.get(kind) ?? { kind, messages: 0, wire: 0, raw: 0 };
    k.messages += 1;
    k.wire += m.payload.length;
    k.raw += raw.length;
    byKind.set(kind, k);
  }
  inflater.close();
  return [...byKind.values()].sort((a, b) => b.wire - a.wire);
}

/** Starts the proxy in front of `target` (an `http://host:port` origin). */
export async function startWireCounter(target: string): Promise<WireCounter> {
  const t = new URL(target);
  const counts: WireCount = { messages: 0, compressed: 0, payload: 0, headers: 0, sockets: 0, deflateSockets: 0 };
  const open = new Set<net.Socket>();
  const counted: FrameCounter[] = [];
  const server = net.createServer((client) => {
    open.add(client);
    const upstream = net.connect(Number(t.port), t.hostname);
    open.add(upstream);
    let head: Buffer | null = Buffer.alloc(0);
    let frames: FrameCounter | null = null;
    let response: Buffer | null = null;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (frames) {
        frames.feed(chunk);
        return;
      }
      if (head === null) return;
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 64 * 1024) head = null;
        return;
      }
      if (/^GET \/cobrowse\/ws\/customer[ ?]/.test(head.subarray(0, end).toString('latin1'))) {
        counts.sockets += 1;
        frames = new FrameCounter(counts);
        counted.push(frames);
        response = Buffer.alloc(0);
        frames.feed(head.subarray(end + 4));
      }
      head = null;
    });
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      if (response !== null) {
        response = Buffer.concat([response, chunk]);
        const end = response.indexOf('\r\n\r\n');
        if (end >= 0) {
          if (/^sec-websocket-extensions:\s*permessage-deflate/im.test(response.subarray(0, end).toString('latin1'))) counts.deflateSockets += 1;
          response = null;
        }
      }
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    // `localhost`, as the cobrowse server's own origin in the harness (cookies of the corpus sites).
    origin: `http://${t.hostname === '127.0.0.1' ? '127.0.0.1' : t.hostname}:${port}`,
    count: () => ({ ...counts }),
    breakdown: () => breakdownOf(counted.flatMap((f) => f.messages)),
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
