/**
 * Reads the SigV4 credential scope, `Credential=AKID/DATE/REGION/SERVICE/aws4_request`, from
 * the Authorization header (or a presigned URL's `X-Amz-Credential`). The signature itself is
 * not checked: the scope alone routes the request.
 */
import type { RawRequest } from './service.js';

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

export function credentialScope(request: RawRequest): CredentialScope | undefined {
  const header = request.headers.authorization;
  const fromHeader = typeof header === 'string' ? /Credential=([^,\s]+)/.exec(header)?.[1] : undefined;
  const credential = fromHeader ?? request.query.get('X-Amz-Credential') ?? undefined;
  if (credential === undefined) return undefined;
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') return undefined;
  return { accessKeyId, region, service };
}
