/**
 * The domain types every part of custos shares: targets, inventory, checks, findings, reports.
 * This module is the leaf of the dependency graph: it imports nothing but the AWS shapes.
 */
import type {
  BucketAcl,
  CredentialReportRow,
  Instance,
  ManagedPrefixList,
  NetworkAcl,
  NetworkInterface,
  OwnershipControls,
  PasswordPolicy,
  PolicyDocument,
  PrefixListEntry,
  PublicAccessBlock,
  RouteTable,
  SecurityGroup,
  ServerSideEncryptionConfiguration,
  Snapshot,
  Subnet,
  Versioning,
  VirtualMfaDevice,
  Volume,
  Vpc,
  VpcBlockPublicAccessExclusion,
  VpcBlockPublicAccessOptions,
} from './aws-shapes.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Higher is worse; used to compare against thresholds such as `--fail-on`. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

export type FindingStatus = 'PASS' | 'FAIL' | 'ERROR';

/** `region` is an AWS region, or `global` for account-wide services (IAM, the S3 bucket list). */
export interface Target {
  readonly accountId: string;
  readonly region: string;
}

export const GLOBAL_REGION = 'global';

export type Scope = 'global' | 'regional';

// ---------------------------------------------------------------- inventory

/**
 * How an AWS error is read. Only `bug` is thrown; everything else becomes data (coverage and
 * ERROR findings) so one denied call never takes down a target.
 */
export type ErrorKind =
  | 'access-denied'
  | 'region-disabled'
  | 'opt-in-required'
  | 'throttled'
  | 'unavailable'
  | 'invalid-credentials'
  | 'not-found'
  | 'invalid-data'
  | 'bug';

export interface CollectorError {
  readonly kind: ErrorKind;
  /** AWS's error code (`UnauthorizedOperation`, `AccessDenied`, ...) or a custos code. */
  readonly code: string;
  readonly message: string;
  /** The API operation that failed, when known. */
  readonly operation?: string;
}

export interface S3BucketSummary {
  readonly Name: string;
  readonly CreationDate?: string;
  readonly BucketRegion?: string;
}

/**
 * Per-bucket S3 configuration, joined from the per-bucket collectors for a check's use. A field
 * is absent when it was not collected or its call was moot, `null` when AWS answered that the
 * bucket has none (NoSuchBucketPolicy and friends).
 */
export interface S3BucketDetails extends S3BucketSummary {
  readonly Acl?: BucketAcl | null;
  readonly Policy?: PolicyDocument | null;
  readonly PolicyStatus?: { readonly IsPublic?: boolean } | null;
  readonly PublicAccessBlock?: PublicAccessBlock | null;
  readonly OwnershipControls?: OwnershipControls | null;
  readonly ServerSideEncryptionConfiguration?: ServerSideEncryptionConfiguration | null;
  readonly Versioning?: Versioning | null;
  /** Per-bucket calls that failed: the checks that need them report ERROR for this bucket. */
  readonly errors?: Readonly<Record<string, CollectorError>>;
}

/**
 * One per-bucket answer: the value, `null` when AWS answered that the bucket has none
 * (NoSuchBucketPolicy and friends), or the classified error of that bucket's call.
 */
export type BucketFacet<T> =
  | { readonly ok: true; readonly value: T | null }
  | { readonly ok: false; readonly error: CollectorError };

/** Per-bucket answers keyed by bucket name; a bucket is absent when its call was moot. */
export type BucketFacets<T> = Readonly<Record<string, BucketFacet<T>>>;

export interface CredentialReport {
  readonly GeneratedTime: string;
  readonly rows: readonly CredentialReportRow[];
}

/**
 * What each collector yields, by collector id. Ids are `<service>.<what>`; a check's `needs`
 * lists them and the engine collects the union once per target.
 */
export interface CollectorDataMap {
  'ec2.securityGroups': SecurityGroup[];
  'ec2.networkInterfaces': NetworkInterface[];
  'ec2.networkAcls': NetworkAcl[];
  'ec2.routeTables': RouteTable[];
  'ec2.subnets': Subnet[];
  'ec2.vpcs': Vpc[];
  'ec2.instances': Instance[];
  'ec2.volumes': Volume[];
  /** Own snapshots (`OwnerIds=self`). */
  'ec2.snapshots': Snapshot[];
  /** Ids of own snapshots restorable by everyone (`RestorableByUserIds=all`). */
  'ec2.publicSnapshotIds': string[];
  'ec2.ebsEncryptionByDefault': boolean;
  /** `block-all-sharing`, `block-new-sharing` or `unblocked`. */
  'ec2.snapshotBlockPublicAccess': string;
  'ec2.vpcBlockPublicAccess': {
    options: VpcBlockPublicAccessOptions | null;
    exclusions: VpcBlockPublicAccessExclusion[];
  };
  /** The managed prefix lists that security-group rules reference, with their entries. */
  'ec2.prefixLists': Array<ManagedPrefixList & { Entries: PrefixListEntry[] }>;
  'iam.credentialReport': CredentialReport;
  'iam.accountSummary': Record<string, number>;
  'iam.virtualMfaDevices': VirtualMfaDevice[];
  'iam.passwordPolicy': PasswordPolicy | null;
  /**
   * Centralized root access as seen from the management account: the enabled features, or
   * `null` when AWS answered that the account is not in an organization or not its manager.
   * `managementAccountId` is the account that answered: its own root is never centrally managed.
   */
  'iam.organizationsFeatures': {
    features: string[];
    source: 'management';
    managementAccountId: string;
  } | null;
  's3.accountPublicAccessBlock': PublicAccessBlock | null;
  /** ListBuckets (with MaxBuckets, so each bucket's region comes back). */
  's3.bucketList': S3BucketSummary[];
  's3.bucketPolicies': BucketFacets<PolicyDocument>;
  /** Read only for buckets that have a policy. */
  's3.bucketPolicyStatus': BucketFacets<{ readonly IsPublic?: boolean }>;
  's3.bucketPublicAccessBlock': BucketFacets<PublicAccessBlock>;
  's3.bucketOwnershipControls': BucketFacets<OwnershipControls>;
  /** Not read for buckets whose Object Ownership is BucketOwnerEnforced (ACLs disabled). */
  's3.bucketAcls': BucketFacets<BucketAcl>;
}

export type CollectorId = keyof CollectorDataMap;

/**
 * Where a collector's data came from, when it was not simply the service's own API: AWS Config
 * (with how old its configuration items are), or the API as a fallback, with why.
 */
export interface InventoryProvenance {
  readonly source: 'api' | 'config' | 'config-aggregator';
  /** Why the API was asked although the inventory source is AWS Config. */
  readonly fallback?: string;
  /** Configuration items read. */
  readonly items?: number;
  /** The oldest and newest `configurationItemCaptureTime` among them. */
  readonly oldestCapture?: string;
  readonly newestCapture?: string;
  /** The recorders' frequencies (CONTINUOUS, DAILY): DAILY items can be up to a day old. */
  readonly recordingFrequency?: readonly string[];
  /** What AWS Config does not record of this collector's data, and how custos decided without it. */
  readonly note?: string;
}

export type CollectorResult<K extends CollectorId = CollectorId> =
  | { readonly ok: true; readonly data: CollectorDataMap[K]; readonly source?: InventoryProvenance }
  | { readonly ok: false; readonly error: CollectorError; readonly source?: InventoryProvenance };

export type InventoryResults = { [K in CollectorId]?: CollectorResult<K> };

/** Everything collected for one target: raw AWS objects plus each collector's status. */
export interface Inventory {
  readonly target: Target;
  readonly collectedAt: string;
  readonly results: InventoryResults;
}

// ---------------------------------------------------------------- settings and checks

export interface CheckSettings {
  readonly network: {
    readonly adminPorts: readonly number[];
    readonly publicPorts: readonly number[];
    /** Approved source CIDRs and prefix-list ids; absent: the allowlist check does not run. */
    readonly allowlist?: readonly string[];
  };
  readonly iam: {
    readonly rootUseDays: number;
    readonly unusedDays: number;
    readonly keyRotationDays: number;
    readonly dormantDays: number;
  };
}

export const FRAMEWORK_IDS = ['cis-aws-3.0', 'cis-aws-5.0', 'fsbp', 'hipaa', 'gdpr', 'ferpa'] as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[number];
export type FrameworkRefs = Readonly<Partial<Record<FrameworkId, readonly string[]>>>;

export interface Remediation {
  /** What to do, in a sentence or two. */
  readonly text: string;
  /** Where in the console. */
  readonly console?: string;
  /** The CLI command that fixes it, with placeholders in angle brackets. */
  readonly cli?: string;
}

/** What a check's `evaluate` receives: the target and the data of each collector it needs. */
export interface CheckInput<N extends CollectorId> {
  readonly target: Target;
  readonly data: { readonly [K in N]: CollectorDataMap[K] };
}

/** One verdict on one resource, before the engine adds the check's metadata. */
export interface CheckResult {
  readonly status: FindingStatus;
  /** An ARN, or an id that contains the account id for account- and region-level findings. */
  readonly resourceId: string;
  /** Defaults to the check's resourceType. */
  readonly resourceType?: string;
  /** One sentence a person can act on. */
  readonly message: string;
  /** The fields that decided the verdict. */
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface Check<N extends CollectorId = CollectorId> {
  /** Public, stable: `<service>.<resource>.<what>`. */
  readonly id: string;
  /** States the desired state. */
  readonly title: string;
  readonly severity: Severity;
  readonly resourceType: string;
  readonly scope: Scope;
  readonly needs: readonly N[];
  readonly frameworks: FrameworkRefs;
  readonly remediation: Remediation;
  /**
   * Why the check does not run with these settings (for example: no allowlist configured),
   * or `undefined` when it runs. The reason is recorded in coverage.
   */
  notApplicable?(settings: CheckSettings): string | undefined;
  /** Pure: no I/O, no clock (`asOf` is the scan's instant, ISO-8601). */
  evaluate(input: CheckInput<N>, settings: CheckSettings, asOf: string): CheckResult[];
}

/** What findings carry from a check, ordinary or history-derived. */
export type CheckMetadata = Pick<
  Check,
  'id' | 'title' | 'severity' | 'resourceType' | 'scope' | 'frameworks' | 'remediation'
>;

/** A check of any needs, as the registry and the engine hold them. */
// biome-ignore lint/suspicious/noExplicitAny: evaluate's input varies per check; method bivariance keeps it safe.
export type AnyCheck = Check<any>;

// ---------------------------------------------------------------- findings and reports

export interface Suppression {
  readonly reason: string;
  readonly expires: string;
}

/** A configured suppression whose expiry has passed: it no longer applies. */
export interface ExpiredSuppression {
  /** Its index in `suppressions`. */
  readonly index: number;
  readonly reason: string;
  readonly expires: string;
  /** PASS and FAIL findings of this run it matches (whatever other entries match them). */
  readonly wouldMatch: number;
  /** How many of those fail, so are open now that the entry has lapsed. */
  readonly failing: number;
}

/** What the configured suppressions did this run. */
export interface SuppressionUse {
  readonly expired: readonly ExpiredSuppression[];
  /** Indices of unexpired entries that suppressed nothing. */
  readonly unused: readonly number[];
}

/**
 * How a failing finding relates to earlier runs: `new` (never failed before), `persisting`
 * (failed in the last run that assessed it), `regressed` (failed before, then passed, now fails
 * again).
 */
export type FailureState = 'new' | 'persisting' | 'regressed';

export interface FindingHistory {
  readonly state: FailureState;
  /** When this fingerprint first failed. */
  readonly firstSeen: string;
}

export interface Finding {
  readonly checkId: string;
  readonly status: FindingStatus;
  readonly severity: Severity;
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly title: string;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly remediation: Remediation;
  readonly frameworks: FrameworkRefs;
  readonly fingerprint: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly suppressed?: Suppression;
  /** On FAIL findings once run history is known. */
  readonly history?: FindingHistory;
}

export type AccountScanStatus = 'scanned' | 'not-scanned' | 'error';

export interface AccountCoverage {
  readonly accountId: string;
  readonly name?: string;
  /** Organizations `State`, when the account came from Organizations. */
  readonly state?: string;
  readonly status: AccountScanStatus;
  readonly reason?: string;
  readonly error?: CollectorError;
}

export interface TargetCoverage {
  readonly accountId: string;
  readonly region: string;
  readonly status: 'scanned' | 'not-scanned' | 'error';
  readonly reason?: string;
  readonly error?: CollectorError;
  /** Per collector: ok, or the error that stopped it. */
  readonly collectors: Readonly<
    Partial<
      Record<
        CollectorId,
        | { ok: true; source?: InventoryProvenance }
        | { ok: false; error: CollectorError; source?: InventoryProvenance }
      >
    >
  >;
}

export interface Coverage {
  readonly accounts: readonly AccountCoverage[];
  readonly targets: readonly TargetCoverage[];
  /** Checks that were selected but do not run with this configuration, and why. */
  readonly checksNotRun: ReadonlyArray<{ readonly checkId: string; readonly reason: string }>;
}

export interface Summary {
  readonly findings: Readonly<Record<FindingStatus, number>>;
  /** Unsuppressed FAIL findings by severity. */
  readonly failBySeverity: Readonly<Record<Severity, number>>;
  readonly suppressed: number;
  readonly targets: { readonly total: number; readonly scanned: number; readonly errored: number };
  readonly accounts: {
    readonly total: number;
    readonly scanned: number;
    readonly notScanned: number;
    readonly errored: number;
  };
  /** Checks with the most unsuppressed FAIL findings, most first. */
  readonly topFailingChecks: ReadonlyArray<{
    readonly checkId: string;
    readonly severity: Severity;
    readonly count: number;
  }>;
  /** True when at least one ERROR finding exists: something could not be assessed. */
  readonly incomplete: boolean;
}

export interface RunScope {
  readonly accounts: readonly string[];
  readonly regions: 'all' | readonly string[];
  readonly checks: readonly string[];
}

/** A problem that failed before and no longer fails, identified as a finding was. */
export interface ResolvedFinding {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly severity: Severity;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly title: string;
  readonly firstSeen: string;
  /** `passes` when assessed and passing now, `gone` when its whole scope was assessed and it no longer exists. */
  readonly how: 'passes' | 'gone';
}

/** A problem that failed before and could not be assessed this run: it is not resolved. */
export interface NotAssessedFinding {
  readonly fingerprint: string;
  readonly checkId: string;
  readonly severity: Severity;
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly title: string;
  readonly previousState: FailureState;
  readonly firstSeen: string;
  /** The last run that did assess it. */
  readonly notAssessedSince: string;
}

/** What changed since the previous runs, leading the summary and the HTML report. */
export interface RunChanges {
  /** The run each target was compared with, when there was one. */
  readonly previousRunId: string | null;
  readonly new: number;
  readonly persisting: number;
  readonly regressed: number;
  readonly resolved: readonly ResolvedFinding[];
  readonly notAssessed: readonly NotAssessedFinding[];
}

/** What the ticket step did for this run, as the report records it: no secrets, no evidence. */
export interface TicketSyncSummary {
  readonly sink: string;
  /** The tracker: a project, a repository or the store's tickets folder. */
  readonly target: string;
  readonly status: 'ok' | 'partial' | 'failed';
  readonly error?: string;
  /** Actions done, by kind (create, update, close, reopen, ...). */
  readonly done: Readonly<Record<string, number>>;
  readonly notDone: ReadonlyArray<{
    readonly action: string;
    readonly fingerprint: string;
    readonly key?: string;
    readonly reason: string;
  }>;
  /** New problems the storm guard held back in the overflow ticket. */
  readonly overflowHeld: number;
}

export interface Report {
  readonly schemaVersion: 1;
  readonly runId: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly asOf: string;
  readonly toolVersion: string;
  readonly configDigest: string;
  readonly scope: RunScope;
  readonly summary: Summary;
  readonly coverage: Coverage;
  readonly findings: readonly Finding[];
  /** Present once the run has been compared with the store's history. */
  readonly changes?: RunChanges;
  /** Present when suppressions are configured. */
  readonly suppressions?: SuppressionUse;
  /** Present when a ticket sink is configured (the local one by default). */
  readonly tickets?: TicketSyncSummary;
}
