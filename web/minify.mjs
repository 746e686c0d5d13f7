// The minification of the customer SDK (`gcb.min.js` and its chunks), shared by build.mjs and
// bundle-breakdown.mjs: esbuild bundles and minifies, then terser compresses and renames once more.
// The second pass is for gzip: the same code comes out ≈ 2 KiB smaller gzipped (mostly terser's
// choice of names, which repeats better), with terser's default (safe) compress options — no
// `unsafe*` option, function arities and `Function.name` are not relied on (esbuild already renames).
import { minify } from 'terser';

/** esbuild's options for every bundle (build.mjs adds entry, output, `define`, `minify`). */
export const bundleOptions = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  charset: 'utf8',
};

/**
 * esbuild's minified output `code` compressed again by terser; with `map` (esbuild's source map as
 * a string) also the composed map, from the sources to terser's output.
 */
export async function finishMinified(code, map) {
  const out = await minify(code, {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, ascii_only: false },
    sourceMap: map ? { content: map } : false,
  });
  return { code: out.code, map: out.map };
}
