/**
 * The CLI as it ships: `dist/cli/bin.js` and everything it imports, bundled by esbuild into
 * `dist/bundle/custos.mjs` plus chunks for what it loads with `import()` (each command, each AWS
 * service's SDK, the simulator behind `--estate`). Node then reads a few files instead of some
 * two thousand modules, which is most of what a scan spent before its first AWS call.
 *
 * Packages the code loads with `createRequire` (credential providers, the S3 client of the report
 * store, the progress bar) stay in node_modules, as they do for the unbundled build.
 *
 *   node scripts/cli-build.mjs      after `tsc -p tsconfig.build.json` (part of `npm run build`)
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { REQUIRE_SHIM } from './cloud-build.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, 'dist', 'bundle');

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { custos: join(ROOT, 'dist', 'cli', 'bin.js') },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM },
  define: { CUSTOS_BUNDLED_VERSION: JSON.stringify(version) },
  legalComments: 'external',
  logLevel: 'warning',
});
