/**
 * The simulator for the largest-target measurement, in a process of its own (AWS's CPU and
 * memory are not the scanner's): one account whose one region holds `copies` times the
 * generator's region (each copy with its own VPCs and ids), served without latency or limits.
 * Answers `ready` with its endpoint.
 */
import { parseEstate } from '../sim/estate.js';
import { startSimulator } from '../sim/server.js';
import { countEstate, type EstateSpec, generateEstateDocument } from './generate.js';

export interface BigSimSpec {
  readonly estate: EstateSpec;
  /** Copies of the generated region's EC2 resources (about 450 each). */
  readonly copies: number;
}

type Json = Record<string, unknown>;

/** `vpc-0000000000000001a` → `vpc-0003000000000001a` in copy 3: ids stay unique, references hold. */
const EC2_ID = /\b([a-z]+(?:-[a-z]+)*)-([0-9a-f]{17})\b/g;

function scaledRegion(ec2: Json, copies: number): Json {
  const scaled: Json = { ...ec2 };
  for (const [key, value] of Object.entries(ec2)) {
    // Prefix lists are the account's, named by the rules of every copy: kept once.
    if (!Array.isArray(value) || key === 'ManagedPrefixLists') continue;
    const text = JSON.stringify(value);
    const all: unknown[] = [];
    for (let copy = 0; copy < copies; copy++) {
      const renamed = text.replace(EC2_ID, (id, prefix: string, hex: string) =>
        prefix === 'pl' ? id : `${prefix}-${copy.toString(16).padStart(4, '0')}${hex.slice(4)}`,
      );
      all.push(...(JSON.parse(renamed) as unknown[]));
    }
    scaled[key] = all;
  }
  return scaled;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as BigSimSpec;
  const document = generateEstateDocument(spec.estate) as {
    accounts: Record<string, { regions: Record<string, { ec2: Json }> }>;
  };
  for (const account of Object.values(document.accounts)) {
    for (const region of Object.values(account.regions)) region.ec2 = scaledRegion(region.ec2, spec.copies);
  }
  const estate = parseEstate(document, `the largest target (${spec.copies} copies of a generated region)`);
  const counts = countEstate(estate);
  const sim = await startSimulator(estate);
  process.on('message', (message: { type: string }) => {
    if (message.type === 'close') void sim.close().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', endpoint: sim.endpoint, credentials: sim.credentials, counts });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
