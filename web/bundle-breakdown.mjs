// What gcb.min.js is made of: `node bundle-breakdown.mjs` (from web/) builds the SDK as build.mjs
// does (esbuild, then terser: minify.mjs; in memory, with a source map), attributes every output
// byte to its source file through the map, and prints a Markdown table per group of files: the minified bytes of the group
// and the gzip -9 bytes it adds (the bundle gzipped with and without the group's code; gzip
// shares context between groups, so these do not add up exactly to the total); `PER_FILE=1`: a row
// per source file instead. Then the chunks (chunk.ts), each minified and gzipped on its own, and
// what a page loads in total for a few kinds of session.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { finishMinified, bundleOptions } from './minify.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const built = await esbuild.build({
  ...bundleOptions,
  entryPoints: [join(root, 'packages/sdk/src/index.ts')],
  define: { __GCB_VERSION__: '"0.0.0"', __GCB_CHUNK_SUFFIX__: '".min.js"' },
  minify: true,
  write: false,
  sourcemap: 'external',
  outfile: join(root, 'gcb.min.js'),
});
const finished = await finishMinified(
  built.outputFiles.find((f) => f.path.endsWith('.js')).text,
  built.outputFiles.find((f) => f.path.endsWith('.map')).text,
);
const js = finished.code;
const map = JSON.parse(finished.map);

// Source map → the source file index of every output character (-1: none).
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const lineStart = [];
let offset = 0;
for (const line of js.split('\n')) {
  lineStart.push(offset);
  offset += line.length + 1;
}
const segments = [];
let source = 0;
map.mappings.split(';').forEach((line, lineIndex) => {
  let column = 0;
  if (!line) return;
  for (const segment of line.split(',')) {
    const fields = [];
    let value = 0;
    let shift = 0;
    for (const ch of segment) {
      const digit = BASE64.indexOf(ch);
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >> 1) : value >> 1);
        value = 0;
        shift = 0;
      }
    }
    column += fields[0];
    if (fields.length > 1) source += fields[1];
    segments.push([lineStart[lineIndex] + column, fields.length > 1 ? source : -1]);
  }
});
const owner = new Int16Array(js.length).fill(-1);
segments.forEach(([start, file], i) => {
  if (file >= 0) owner.fill(file, start, i + 1 < segments.length ? segments[i + 1][0] : js.length);
});

const groups = process.env.PER_FILE ? map.sources.map((s) => [s, new RegExp(s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&") + "$")]) : [
  ['capture: serialization, mutations, sanitizing, masking, watches (`dom/src`)', /dom\/src\//],
  ['capture scheduling (`sdk/src/capture.ts`, `snapshot.ts`)', /sdk\/src\/(capture|snapshot)\.ts/],
  ['transport: session, socket, frame codec, pointer', /sdk\/src\/(session|pointer|resources)\.ts|protocol\/src\//],
  ['Write Mode: the submission guard (agent input and navigation: chunk `write`)', /sdk\/src\/(input|submission|navigation)\.ts/],
  ['API, configuration, start flow, signals, frames, masking watch, entry, chunk loader', /sdk\/src\/(index|api|config|start|signal|frames|masking|realm|webgl|chunk)\.ts/],
  ['built-in UI: toolbar, modals, pointer overlay, mask markers (`ui/`)', /sdk\/src\/ui\/(toolbar|modal|overlay|mask-markers|dom)\.ts/],
  ['inspect mode (`inspect.ts`, `ui/inspect-overlay.ts`)', /sdk\/src\/(inspect\.ts|ui\/inspect-overlay\.ts)/],
  ['strings (`strings*.ts`)', /sdk\/src\/strings/],
];
const groupOf = map.sources.map((s) => groups.findIndex(([, re]) => re.test(s)));
const ungrouped = map.sources.filter((_, i) => groupOf[i] < 0);
if (ungrouped.length > 0) console.error('not in any group:', ungrouped.join(', '));

const gz = (text) => gzipSync(text, { level: 9 }).length;
const total = gz(js);
console.log('| part | minified bytes | gzip bytes it adds |');
console.log('|---|---|---|');
groups.forEach(([name], g) => {
  let kept = '';
  let bytes = 0;
  for (let i = 0; i < js.length; i++) {
    if (owner[i] >= 0 && groupOf[owner[i]] === g) bytes++;
    else kept += js[i];
  }
  console.log(`| ${name} | ${bytes} | ${total - gz(kept)} |`);
});
console.log(`| **gcb.min.js** | ${js.length} | ${total} (${(total / 1024).toFixed(1)} KiB) |`);

// The chunks, as build.mjs builds them.
const chunkNames = ['de', 'fr', 'inspect', 'write', 'frame', 'resources', 'canvas'];
const chunkGz = {};
console.log('\n| chunk | minified bytes | gzip bytes |');
console.log('|---|---|---|');
for (const name of chunkNames) {
  const out = await esbuild.build({ ...bundleOptions, entryPoints: [join(root, `packages/sdk/src/chunks/${name}.ts`)], minify: true, write: false });
  const text = (await finishMinified(out.outputFiles[0].text)).code;
  chunkGz[name] = gz(text);
  console.log(`| \`gcb-${name}.min.js\` | ${text.length} | ${chunkGz[name]} |`);
}
const kib = (n) => `${n} (${(n / 1024).toFixed(1)} KiB)`;
console.log('\n| what a page loads (gzip bytes) | total |');
console.log('|---|---|');
console.log(`| a session in English, Pointer Mode, no frames: \`gcb.min.js\` alone | ${kib(total)} |`);
console.log(`| … in Write Mode: + \`gcb-write\` | ${kib(total + chunkGz.write)} |`);
console.log(`| … in German, Write Mode, resources from the customer: + \`gcb-de\`, \`gcb-write\`, \`gcb-resources\` | ${kib(total + chunkGz.de + chunkGz.write + chunkGz.resources)} |`);
