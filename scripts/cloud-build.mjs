/**
 * The cloud build: the deploy settings read from the config file (checked with custos's own
 * loader), and one bundle per Lambda function (esbuild: ESM for Node 22, minified, tree-shaken)
 * with the config file beside it, zipped as serverless.yml's `artifact:` expects.
 *
 * Each function's `index.mjs` holds its handler and what every invocation needs; what the code
 * imports with `import()` (the engine, each AWS service's SDK, a tracker's client) is split into
 * chunks beside it (`chunks/`, in the same zip), loaded when an invocation first needs them. A cold
 * start then loads the handler, not the whole program.
 *
 *   node scripts/cloud-build.mjs            bundle with ./custos.config.json (or $CUSTOS_CONFIG)
 *
 * Used by `npm run bundle`, and by the serverless plugin and variable source in this folder, so
 * that `osls package` and `osls deploy` always ship bundles of the code and config as they are.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Function name in serverless.yml → its handler module. */
export const FUNCTIONS = {
  plan: 'functions/plan.ts',
  scanTarget: 'functions/scan-target.ts',
  finalize: 'functions/finalize.ts',
  export: 'functions/export.ts',
};

/** The config file each bundle carries, read by functions/runtime.ts. */
const BUNDLED_CONFIG = 'custos.config.json';

// ESM bundles of CommonJS packages still call require() for Node built-ins.
export const REQUIRE_SHIM =
  "import { createRequire as __custosCreateRequire } from 'node:module'; const require = __custosCreateRequire(import.meta.url);";

const ESBUILD_COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  // The ES module builds of packages that ship both (the AWS SDK's among them): esbuild can drop
  // what is never imported from them, which it cannot do for CommonJS.
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM },
  logLevel: 'warning',
};

/** Where a function's code-split chunks go, inside its folder (and its zip). */
const CHUNKS = 'chunks';

export function defaultConfigPath(root = ROOT) {
  return resolve(root, process.env.CUSTOS_CONFIG ?? 'custos.config.json');
}

export function defaultBuildDir(root = ROOT) {
  return resolve(root, process.env.CUSTOS_BUILD_DIR ?? '.build');
}

const settingsCache = new Map();

/**
 * The deploy settings of a config file (functions/deploy-settings.ts, bundled on the fly so that
 * packaging needs no compiled output). Throws the loader's error, with the field path, on a bad file.
 */
export function loadDeploySettings({ root = ROOT, configPath, buildDir }) {
  const file = resolve(root, configPath ?? defaultConfigPath(root));
  const outDir = resolve(root, buildDir ?? defaultBuildDir(root));
  const key = `${file}\n${outDir}`;
  let pending = settingsCache.get(key);
  if (pending === undefined) {
    pending = readSettings(root, file, outDir);
    settingsCache.set(key, pending);
    pending.catch(() => settingsCache.delete(key));
  }
  return pending;
}

async function readSettings(root, file, outDir) {
  // A file of its own, not a `<name>/index.mjs` folder: it is no Lambda function.
  const outfile = join(outDir, 'deploy-settings.mjs');
  await build({
    ...ESBUILD_COMMON,
    absWorkingDir: root,
    entryPoints: [join(root, 'functions/deploy-settings.ts')],
    outfile,
    minify: true,
    legalComments: 'none',
  });
  const { deploySettings } = await import(`${pathToFileURL(outfile).href}?at=${Date.now()}`);
  const shown = file.startsWith(`${root}${sep}`) ? relative(root, file) : file;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${shown}: cannot be read (${error.message}); set CUSTOS_CONFIG to the config file`);
  }
  const format = ['.yaml', '.yml'].includes(extname(file).toLowerCase()) ? 'yaml' : 'json';
  try {
    return deploySettings(text, shown, format);
  } catch (error) {
    // The loader's message names the file and each field path; the stack adds nothing.
    throw new Error(error.message);
  }
}

/**
 * Bundles every function into `<buildDir>/<name>/index.mjs` (and its chunks) beside the config,
 * zips each into `<buildDir>/<name>.zip`, and returns what was built with its sizes.
 */
export async function bundleFunctions({
  root = ROOT,
  configPath,
  buildDir,
  log = (line) => process.stdout.write(`${line}\n`),
} = {}) {
  const outDir = resolve(root, buildDir ?? defaultBuildDir(root));
  const settings = await loadDeploySettings({ root, configPath, buildDir: outDir });
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  const config = `${JSON.stringify(settings.document, null, 2)}\n`;
  for (const name of Object.keys(FUNCTIONS)) rmSync(join(outDir, name), { recursive: true, force: true });
  // One build per function: code splitting shares chunks between the entries of one build, and
  // each zip must hold every chunk its function loads.
  const results = await Promise.all(
    Object.entries(FUNCTIONS).map(([name, entry]) =>
      build({
        ...ESBUILD_COMMON,
        entryPoints: { index: join(root, entry) },
        absWorkingDir: root,
        outdir: join(outDir, name),
        outExtension: { '.js': '.mjs' },
        splitting: true,
        chunkNames: `${CHUNKS}/[name]-[hash]`,
        minify: true,
        treeShaking: true,
        legalComments: 'none',
        metafile: true,
        define: { 'process.env.CUSTOS_TOOL_VERSION': JSON.stringify(version) },
      }),
    ),
  );
  const built = [];
  for (const [index, name] of Object.keys(FUNCTIONS).entries()) {
    const dir = join(outDir, name);
    const bundle = join(dir, 'index.mjs');
    const { outputs } = results[index].metafile;
    // Everything the function can load (the handler and every chunk), and what loads with the
    // handler module itself.
    const inputs = inputsOf(outputs, Object.keys(outputs));
    const atStart = loadedWith(outputs, relative(root, bundle).split(sep).join('/'));
    const startInputs = inputsOf(outputs, atStart);
    const startBytes = atStart.reduce((sum, path) => sum + outputs[path].bytes, 0);
    writeFileSync(join(dir, BUNDLED_CONFIG), config);
    writeFileSync(join(outDir, `${name}.inputs.json`), `${JSON.stringify(inputs, null, 2)}\n`);
    writeFileSync(join(outDir, `${name}.start-inputs.json`), `${JSON.stringify(startInputs, null, 2)}\n`);
    const chunks = chunkFiles(dir);
    const zipPath = join(outDir, `${name}.zip`);
    writeFileSync(
      zipPath,
      zip([
        { name: 'index.mjs', data: readFileSync(bundle) },
        ...chunks.map((chunk) => ({ name: chunk, data: readFileSync(join(dir, chunk)) })),
        { name: BUNDLED_CONFIG, data: Buffer.from(config) },
      ]),
    );
    const bundleBytes = statSync(bundle).size;
    const codeBytes = chunks.reduce((sum, chunk) => sum + statSync(join(dir, chunk)).size, bundleBytes);
    const zipBytes = statSync(zipPath).size;
    built.push({
      name,
      dir,
      zip: zipPath,
      bundleBytes,
      startBytes,
      codeBytes,
      chunks,
      zipBytes,
      inputs,
      startInputs,
    });
    log(
      `custos bundle ${name.padEnd(10)} index.mjs ${kb(bundleBytes)}, ${name}.zip ${kb(zipBytes)}` +
        ` (code loaded with index.mjs ${kb(startBytes)}, in all ${kb(codeBytes)} in ${chunks.length + 1} files)`,
    );
  }
  return { buildDir: outDir, settings, functions: built };
}

/** `entry` and the outputs it imports statically, transitively: what loads when it is imported. */
function loadedWith(outputs, entry) {
  const loaded = new Set();
  const pending = [entry];
  while (pending.length > 0) {
    const path = pending.pop();
    if (loaded.has(path) || outputs[path] === undefined) continue;
    loaded.add(path);
    for (const imported of outputs[path].imports) {
      if (imported.kind === 'import-statement') pending.push(imported.path);
    }
  }
  return [...loaded];
}

/** The source files (and packages' files) bundled into `paths`. */
function inputsOf(outputs, paths) {
  return [...new Set(paths.flatMap((path) => Object.keys(outputs[path]?.inputs ?? {})))].sort();
}

/** A function's chunks, as paths inside its folder (`chunks/<name>.mjs`), in a stable order. */
function chunkFiles(dir) {
  let names;
  try {
    names = readdirSync(join(dir, CHUNKS));
  } catch {
    return [];
  }
  return names
    .filter((file) => file.endsWith('.mjs'))
    .sort()
    .map((file) => `${CHUNKS}/${file}`);
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

// ------------------------------------------------------------------ zip

// Every entry carries the same time (1980-01-01 00:00, the DOS epoch) and mode, so the same
// bundle always zips to the same bytes and an unchanged function is not redeployed.
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
const FILE_MODE = 0o100644;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data) {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of `entries` ({ name, data }), each DEFLATE-compressed. */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(FILE_MODE * 0x10000, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralBytes = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBytes, end]);
}

// ------------------------------------------------------------------ command line

const invoked = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  const configPath = process.argv[2] ?? defaultConfigPath();
  bundleFunctions({
    configPath: isAbsolute(configPath) ? configPath : resolve(process.cwd(), configPath),
  }).catch((error) => {
    process.stderr.write(`custos bundle: ${error.message}\n`);
    process.exitCode = 2;
  });
}
