// Bytes on the wire for the bytes benchmark: a loopback TCP proxy in front of the cobrowse
// server that counts what the customer's browser sends on its co-browse socket after the
// WebSocket layer (permessage-deflate included, which `WebSocket.prototype.send` sizes and CDP's
// frame events, given before compression, do not show). Every connection is piped both ways
// unchanged; one whose first request is the upgrade of `/cobrowse/ws/customer` also has its
// browser → server bytes parsed as WebSocket frames after the request's header.

import net from 'node:net';

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

export interface WireCounter {
  origin: string;
  count(): WireCount;
  stop(): Promise<void>;
}

/** Parses browser → server WebSocket frames fed in pieces, counting data frames. */
class FrameCounter {
  private buf = Buffer.alloc(0);
  private skip = 0;
  private headerOfData = false;
  /** The message in progress is a data message (text/binary, continuation frames follow). */
  constructor(private readonly c: WireCount) {}

  feed(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        if (this.headerOfData) this.c.payload += n;
        this.skip -= n;
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
        }
      }
      this.buf = this.buf.subarray(head);
      this.skip = len;
      if (len === 0) continue;
    }
  }
}

/** Starts the proxy in front of `target` (an `http://host:port` origin). */
export async function startWireCounter(target: string): Promise<WireCounter> {
  const t = new URL(target);
  const counts: WireCount = { messages: 0, compressed: 0, payload: 0, headers: 0, sockets: 0, deflateSockets: 0 };
  const open = new Set<net.Socket>();
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
    stop: async () => {
      for (const s of open) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
