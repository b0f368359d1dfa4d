#!/usr/bin/env node
/**
 * Lists the packages in package-lock.json that run a script when installed (preinstall,
 * install, postinstall, or an implicit node-gyp build: npm marks them `hasInstallScript`) and
 * fails when one is not in ALLOWED below with the reason it may run. custos itself needs no
 * install script: `npm ci --ignore-scripts && npm run build` gives a working checkout.
 *
 * Where node_modules is present, the script each allowed package declares is also compared
 * with the one recorded here, so an update that changes what runs at install is noticed.
 *
 *   node scripts/check-install-scripts.mjs [--lockfile FILE] [--json]
 *
 * Exit 0: every install script is allowed. Exit 1: one is not (or changed). Exit 2: bad usage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'];

/** Packages allowed to run an install script, the scripts they declare, and why they may. */
export const ALLOWED = {
  esbuild: {
    scripts: { postinstall: 'node install.js' },
    reason:
      'Checks that the platform binary from the optional dependency @esbuild/<platform> (pinned by the lockfile) is present and runs, and on some platforms puts it in place of the JavaScript launcher. Not needed: with --ignore-scripts the launcher finds the same binary. Development only (bundling the Lambda functions).',
  },
  'es5-ext': {
    scripts: { postinstall: ` node -e "try{require('./_postinstall')}catch(e){}" || exit 0` },
    reason:
      'Prints a notice in some time zones and does nothing else; failures are ignored. Development only (through osls, the deployment tool).',
  },
};

/** The packages of a lockfile (v2 or v3) that have an install script. */
export function packagesWithInstallScripts(lock) {
  const found = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry?.hasInstallScript !== true) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    found.push({ name, path, version: entry.version ?? null, dev: entry.dev === true });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** The install hooks an installed package declares, or `undefined` when it is not installed. */
function declaredScripts(root, path) {
  const manifest = join(root, path, 'package.json');
  if (!existsSync(manifest)) return undefined;
  const scripts = JSON.parse(readFileSync(manifest, 'utf8')).scripts ?? {};
  return Object.fromEntries(
    INSTALL_HOOKS.filter((hook) => hook in scripts).map((hook) => [hook, scripts[hook]]),
  );
}

/** Each package with an install script, and the problem with it if it is not allowed as it is. */
export function checkInstallScripts(lockfile) {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
  const root = dirname(lockfile);
  return packagesWithInstallScripts(lock).map((pkg) => {
    const allowed = Object.hasOwn(ALLOWED, pkg.name) ? ALLOWED[pkg.name] : undefined;
    if (allowed === undefined) {
      return { ...pkg, allowed: false, problem: 'has an install script and is not in the allowlist' };
    }
    const declared = declaredScripts(root, pkg.path);
    if (declared !== undefined && JSON.stringify(declared) !== JSON.stringify(allowed.scripts)) {
      return {
        ...pkg,
        allowed: false,
        problem: `declares ${JSON.stringify(declared)}, not the allowed ${JSON.stringify(allowed.scripts)}`,
      };
    }
    return { ...pkg, allowed: true, reason: allowed.reason, verified: declared !== undefined };
  });
}

function main(argv) {
  let lockfile = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package-lock.json');
  let json = false;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--json') json = true;
    else if (argv[i] === '--lockfile' && argv[i + 1] !== undefined) lockfile = resolve(argv[++i]);
    else {
      process.stderr.write(`usage: check-install-scripts.mjs [--lockfile FILE] [--json]\n`);
      return 2;
    }
  }
  const results = checkInstallScripts(lockfile);
  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    for (const r of results) {
      const what = `${r.name}@${r.version}${r.dev ? ' (dev)' : ''}`;
      process.stdout.write(
        r.allowed ? `allowed  ${what}: ${r.reason}\n` : `REFUSED  ${what}: ${r.problem}\n`,
      );
    }
    process.stdout.write(
      `${results.length} package(s) with install scripts, ${results.filter((r) => !r.allowed).length} refused\n`,
    );
  }
  return results.every((r) => r.allowed) ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
