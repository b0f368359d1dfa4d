/**
 * AWS Config writes most configurations with the API's field names in lower camel case, the
 * way the Java SDK's getters name them: `GroupId` → `groupId`, `IpPermissions` →
 * `ipPermissions`, and a leading acronym lowered whole (`SSEAlgorithm` → `sseAlgorithm`,
 * `KMSMasterKeyID` → `kmsMasterKeyID`).
 */

export function lowerCamelKey(key: string): string {
  const run = /^[A-Z]+/.exec(key)?.[0] ?? '';
  if (run.length === 0) return key;
  if (run.length === key.length) return key.toLowerCase();
  if (run.length === 1) return key.charAt(0).toLowerCase() + key.slice(1);
  // `SSEAlgorithm`: the last capital of the run starts the next word.
  const next = key.charAt(run.length);
  const lowered = /[a-z]/.test(next) ? run.length - 1 : run.length;
  return key.slice(0, lowered).toLowerCase() + key.slice(lowered);
}

/** The value with every object key in lower camel case, recursively; a new value throughout. */
export function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== undefined) out[lowerCamelKey(key)] = lowerCamel(inner);
  }
  return out;
}

/** An object's keys in lower camel case, for callers that know they pass an object. */
export function lowerCamelObject(value: object): Record<string, unknown> {
  return lowerCamel(value) as Record<string, unknown>;
}
