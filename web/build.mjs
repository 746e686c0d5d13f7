// Builds the browser bundles into web/dist/, laid out as the server serves them (the URL path is
// the file path under dist/). Deterministic: the same sources give the same bytes, so the test
// command can check that the committed dist/ is current.
import * as esbuild from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finishMinified, bundleOptions as common } from './minify.mjs';

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(await readFile(join(root, 'packages/sdk/package.json'), 'utf8'));
const version = pkg.version ?? '0.0.0';

await rm(dist, { recursive: true, force: true });

// Customer SDK: readable build with a source map, and the minified build the snippet loads. Each
// loads the chunks of its own kind (`gcb-de.js` / `gcb-de.min.js`, …) from its own directory.
const sdkDefine = (suffix) => ({ __GCB_VERSION__: JSON.stringify(version), __GCB_CHUNK_SUFFIX__: JSON.stringify(suffix) });
const sdk = { ...common, entryPoints: [join(root, 'packages/sdk/src/index.ts')] };
await esbuild.build({ ...sdk, define: sdkDefine('.js'), outfile: join(dist, 'cobrowse/js/gcb.js'), sourcemap: 'linked', sourceRoot: '' });
/** esbuild's minified build of `options`, compressed once more (minify.mjs), written to `outfile`. */
const buildMinified = async (options, outfile) => {
  const built = await esbuild.build({ ...options, outfile, minify: true, write: false });
  await writeFile(outfile, (await finishMinified(built.outputFiles[0].text)).code);
};
await buildMinified({ ...sdk, define: sdkDefine('.min.js') }, join(dist, 'cobrowse/js/gcb.min.js'));

// The SDK's chunks (packages/sdk/src/chunk.ts): what only some pages need, loaded on demand.
for (const name of ['de', 'fr', 'inspect', 'write', 'frame', 'resources', 'canvas']) {
  const chunk = { ...common, entryPoints: [join(root, `packages/sdk/src/chunks/${name}.ts`)] };
  await esbuild.build({ ...chunk, outfile: join(dist, `cobrowse/js/gcb-${name}.js`) });
  await buildMinified(chunk, join(dist, `cobrowse/js/gcb-${name}.min.js`));
}

// Agent desktop.
await esbuild.build({ ...common, entryPoints: [join(root, 'apps/agent/src/main.ts')], outfile: join(dist, 'agent/agent.js'), minify: true });
await mkdir(join(dist, 'agent'), { recursive: true });
for (const f of ['index.html', 'agent.css']) await cp(join(root, 'apps/agent', f), join(dist, 'agent', f));

// DOM Restrictions Editor.
await esbuild.build({ ...common, entryPoints: [join(root, 'apps/admin/src/main.ts')], outfile: join(dist, 'admin/admin.js'), minify: true });
for (const f of ['index.html', 'admin.css']) await cp(join(root, 'apps/admin', f), join(dist, 'admin', f));

// Demo shop.
await esbuild.build({ ...common, entryPoints: [join(root, 'apps/demo/src/demo.ts')], outfile: join(dist, 'demo/demo.js'), minify: true });
await cp(join(root, 'apps/demo/public'), join(dist, 'demo'), { recursive: true });

await writeFile(join(dist, 'VERSION'), `${version}\n`);
console.log(`built web/dist (sdk ${version})`);
