// Types of minify.mjs for the TypeScript that imports it (the benchmark's viewer bundle).
import type { BuildOptions } from 'esbuild';

/** esbuild's options for every bundle (entry, output, `define` and `minify` are the caller's). */
export declare const bundleOptions: BuildOptions;

/** esbuild's minified output compressed again by terser; with `map`, the composed source map. */
export declare function finishMinified(code: string, map?: string): Promise<{ code: string; map?: string }>;
