/**
 * S3, over restXml with path-style addressing (`GET /<bucket>?acl`): the bucket list and the
 * per-bucket settings custos reads, answered from the calling account's `s3.Buckets`. Each
 * bucket answers only in its own region, as S3 does: a call signed for another region gets a
 * PermanentRedirect naming the bucket's region.
 */
import { isPolicyPublic } from '../../checks/lib/s3-policy.js';
import { AwsError } from '../aws-error.js';
import type { Estate, EstateAccount, EstateBucket } from '../estate.js';
import { takePage } from '../paging.js';
import { isoTime } from '../protocols/common.js';
import {
  queryInt,
  type RawBody,
  type RestHandler,
  type RestRoute,
  restXmlService,
} from '../protocols/rest-xml.js';
import type { HandlerContext, RawRequest, ServiceModule } from '../service.js';
import { textElement } from '../xml.js';
import {
  aclXml,
  bucketsXml,
  canonicalUserId,
  effectiveAcl,
  encryptionXml,
  ownershipControlsXml,
  ownerXml,
  publicAccessBlockXml,
  S3_DIALECT,
  S3_PAGING_CODES,
  s3Document,
  unknownS3Credentials,
  versioningXml,
} from './s3-xml.js';

/** A bucket created without a location constraint lives in us-east-1. */
const DEFAULT_BUCKET_REGION = 'us-east-1';

/** ListBuckets' query parameters, by their SDK member names. */
const LIST_BUCKETS_PARAMS = {
  'max-buckets': 'MaxBuckets',
  'continuation-token': 'ContinuationToken',
  prefix: 'Prefix',
  'bucket-region': 'BucketRegion',
} as const;

const listBuckets =
  (query: URLSearchParams): RestHandler =>
  (call) => {
    const account = call.sim.estate.accounts[call.caller.accountId];
    const prefix = query.get('prefix') ?? undefined;
    const region = query.get('bucket-region') ?? undefined;
    const buckets = [...(account?.s3.Buckets ?? [])]
      .filter((bucket) => prefix === undefined || bucket.Name.startsWith(prefix))
      .filter((bucket) => region === undefined || regionOf(bucket) === region)
      .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
    const page = takePage(
      buckets,
      {
        maxResults: queryInt(query, 'max-buckets', 'InvalidArgument'),
        nextToken: query.get('continuation-token') ?? undefined,
      },
      { min: 1, max: 10_000, unrequested: 'all' },
      { queryKey: call.queryKey, maxPageSize: call.sim.maxPageSize },
    );
    // AWS includes each bucket's region only when the request carries at least one parameter.
    const withRegion = Object.keys(LIST_BUCKETS_PARAMS).some((name) => query.has(name));
    const listed = page.items.map((bucket) => ({
      Name: bucket.Name,
      CreationDate: bucket.CreationDate === undefined ? undefined : isoTime(bucket.CreationDate),
      BucketRegion: withRegion ? regionOf(bucket) : undefined,
    }));
    return s3Document(
      'ListAllMyBucketsResult',
      bucketsXml(listed) +
        ownerXml({ ID: canonicalUserId(call.caller.accountId) }) +
        (page.nextToken === undefined ? '' : textElement('ContinuationToken', page.nextToken)) +
        (prefix === undefined ? '' : textElement('Prefix', prefix)),
    );
  };

/** A per-bucket read: the handler sees the caller's own bucket, in its own region. */
type BucketReader = (bucket: EstateBucket, call: HandlerContext) => string | RawBody;

const getBucketAcl: BucketReader = (bucket, call) =>
  aclXml(effectiveAcl(bucket, call.caller.accountId), call.caller.accountId);

const getBucketPolicy: BucketReader = (bucket) => {
  if (bucket.Policy === null) throw noSuchBucketPolicy(bucket.Name);
  return { body: JSON.stringify(bucket.Policy), contentType: 'application/json' };
};

/** The estate's status when it gives one; else derived from the policy, as S3 derives it. */
const getBucketPolicyStatus: BucketReader = (bucket, call) => {
  let isPublic = bucket.PolicyStatus?.IsPublic;
  if (isPublic === undefined) {
    if (bucket.Policy === null) throw noSuchBucketPolicy(bucket.Name);
    isPublic = isPolicyPublic(bucket.Policy, { bucketAccountId: call.caller.accountId }).public;
  }
  return s3Document('PolicyStatus', textElement('IsPublic', isPublic));
};

const getPublicAccessBlock: BucketReader = (bucket) => {
  if (bucket.PublicAccessBlock === null) {
    throw notFound(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      bucket.Name,
    );
  }
  return publicAccessBlockXml(bucket.PublicAccessBlock);
};

const getBucketOwnershipControls: BucketReader = (bucket) => {
  if (bucket.OwnershipControls === null) {
    throw notFound(
      'OwnershipControlsNotFoundError',
      'The bucket ownership controls were not found',
      bucket.Name,
    );
  }
  return ownershipControlsXml(bucket.OwnershipControls.Rules);
};

const getBucketEncryption: BucketReader = (bucket) => {
  if (bucket.ServerSideEncryptionConfiguration === null) {
    throw notFound(
      'ServerSideEncryptionConfigurationNotFoundError',
      'The server side encryption configuration was not found',
      bucket.Name,
    );
  }
  return encryptionXml(bucket.ServerSideEncryptionConfiguration.Rules);
};

const getBucketVersioning: BucketReader = (bucket) => versioningXml(bucket.Versioning);

/** The bucket operations by the subresource that names them in the query. */
const SUBRESOURCES: ReadonlyArray<readonly [subresource: string, operation: string, read: BucketReader]> = [
  ['acl', 'GetBucketAcl', getBucketAcl],
  ['policy', 'GetBucketPolicy', getBucketPolicy],
  ['policyStatus', 'GetBucketPolicyStatus', getBucketPolicyStatus],
  ['publicAccessBlock', 'GetPublicAccessBlock', getPublicAccessBlock],
  ['ownershipControls', 'GetBucketOwnershipControls', getBucketOwnershipControls],
  ['encryption', 'GetBucketEncryption', getBucketEncryption],
  ['versioning', 'GetBucketVersioning', getBucketVersioning],
];

function route(request: RawRequest): RestRoute {
  const segments = request.path.split('/').filter((segment) => segment !== '');
  if (request.method === 'GET' && segments.length === 0) {
    const params: Record<string, string> = {};
    for (const [name, member] of Object.entries(LIST_BUCKETS_PARAMS)) {
      const value = request.query.get(name);
      if (value !== null) params[member] = value;
    }
    return { operation: 'ListBuckets', params, handler: listBuckets(request.query) };
  }
  const known = SUBRESOURCES.find(([subresource]) => request.query.has(subresource));
  if (request.method === 'GET' && segments.length === 1 && known !== undefined) {
    const [, operation, read] = known;
    const name = decodeURIComponent(segments[0] ?? '');
    return { operation, params: { Bucket: name }, handler: (call) => read(ownBucket(name, call), call) };
  }
  throw new AwsError(
    'NotImplemented',
    `The simulator does not serve this S3 request: ${request.method} ${request.path}`,
    501,
  );
}

/**
 * The bucket, when it exists, lives in the region the call was signed for, and belongs to the
 * caller. Bucket names are global, so another account's bucket is found and refused.
 */
function ownBucket(name: string, call: HandlerContext): EstateBucket {
  for (const [accountId, account] of candidateOwners(name, call.sim.estate)) {
    const bucket = account.s3.Buckets.find((candidate) => candidate.Name === name);
    if (bucket === undefined) continue;
    const region = regionOf(bucket);
    if (region !== call.region) {
      throw new AwsError(
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        301,
        {
          headers: { 'x-amz-bucket-region': region },
          fields: { Endpoint: `s3.${region}.amazonaws.com`, Bucket: name },
        },
      );
    }
    if (accountId !== call.caller.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
    return bucket;
  }
  throw notFound('NoSuchBucket', 'The specified bucket does not exist', name);
}

/** Which account holds each bucket name, per estate: a large estate holds tens of thousands. */
const OWNERS = new WeakMap<Estate, Map<string, string>>();

/**
 * The account that holds the bucket first (found through an index built once per estate),
 * then every account, so an estate changed after the index was built is still answered right.
 */
function* candidateOwners(name: string, estate: Estate): Generator<[string, EstateAccount]> {
  let owners = OWNERS.get(estate);
  if (owners === undefined) {
    owners = new Map();
    for (const [accountId, account] of Object.entries(estate.accounts)) {
      for (const bucket of account.s3.Buckets)
        if (!owners.has(bucket.Name)) owners.set(bucket.Name, accountId);
    }
    OWNERS.set(estate, owners);
  }
  const indexed = owners.get(name);
  const account = indexed === undefined ? undefined : estate.accounts[indexed];
  if (indexed !== undefined && account !== undefined) yield [indexed, account];
  for (const entry of Object.entries(estate.accounts)) if (entry[0] !== indexed) yield entry;
}

function regionOf(bucket: EstateBucket): string {
  return bucket.BucketRegion ?? DEFAULT_BUCKET_REGION;
}

function notFound(code: string, message: string, bucket: string): AwsError {
  return new AwsError(code, message, 404, { fields: { BucketName: bucket } });
}

function noSuchBucketPolicy(bucket: string): AwsError {
  return notFound('NoSuchBucketPolicy', 'The bucket policy does not exist', bucket);
}

export const s3Service: ServiceModule = restXmlService({
  name: 's3',
  route,
  pagingParams: ['MaxBuckets', 'ContinuationToken'],
  pagingCodes: S3_PAGING_CODES,
  dialect: S3_DIALECT,
  unknownCredentials: unknownS3Credentials,
});
