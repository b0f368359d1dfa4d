/**
 * VPC Block Public Access (AWS-SEMANTICS 2.8, item 6). Per region, `InternetGatewayBlockMode` is
 * `off`, `block-ingress` (inbound internet-gateway traffic blocked) or `block-bidirectional` (both
 * directions blocked). Exclusions lift the block for one VPC or subnet: `allow-bidirectional`
 * lifts it in both directions, `allow-egress` only outbound (so it never re-admits inbound
 * traffic). An exclusion counts only in state `create-complete` or `update-complete`; one being
 * created, updated, failed or deleted does not.
 *
 * Choice: the mode counts as in force unless the options are `update-in-progress`, in which case
 * no block is assumed (the reported mode may not apply yet, and assuming exposure is the safe side).
 */
import type { VpcBlockPublicAccessExclusion, VpcBlockPublicAccessOptions } from '../../core/aws-shapes.js';

export interface VpcBlockPublicAccess {
  readonly options: VpcBlockPublicAccessOptions | null;
  readonly exclusions: readonly VpcBlockPublicAccessExclusion[];
}

export interface VpcBlockPublicAccessVerdict {
  /** The region's mode, `off` when none is set. */
  readonly mode: string;
  readonly ingressBlocked: boolean;
  readonly egressBlocked: boolean;
  /** The exclusion that applies to the subnet or its VPC, if any (the subnet's first). */
  readonly exclusion?: VpcBlockPublicAccessExclusion;
}

const EFFECTIVE_EXCLUSION_STATES: ReadonlySet<string> = new Set(['create-complete', 'update-complete']);

/** Whether an exclusion's `ResourceArn` (or bare id) names this resource id. */
function namesResource(exclusion: VpcBlockPublicAccessExclusion, resourceId: string): boolean {
  const arn = exclusion.ResourceArn;
  if (arn === undefined) return false;
  return arn === resourceId || arn.endsWith(`/${resourceId}`);
}

/** The exclusion in force for a subnet (preferred) or its VPC. */
export function applicableExclusion(
  exclusions: readonly VpcBlockPublicAccessExclusion[],
  resource: { readonly subnetId?: string; readonly vpcId?: string },
): VpcBlockPublicAccessExclusion | undefined {
  const effective = exclusions.filter(
    (e) => e.State !== undefined && EFFECTIVE_EXCLUSION_STATES.has(e.State),
  );
  const { subnetId, vpcId } = resource;
  return (
    (subnetId === undefined ? undefined : effective.find((e) => namesResource(e, subnetId))) ??
    (vpcId === undefined ? undefined : effective.find((e) => namesResource(e, vpcId)))
  );
}

/** Whether VPC BPA blocks internet-gateway traffic to and from a subnet. */
export function vpcBlockPublicAccessFor(
  bpa: VpcBlockPublicAccess,
  resource: { readonly subnetId?: string; readonly vpcId?: string },
): VpcBlockPublicAccessVerdict {
  const mode = bpa.options?.InternetGatewayBlockMode ?? 'off';
  const inForce = bpa.options?.State !== 'update-in-progress';
  const exclusion = applicableExclusion(bpa.exclusions, resource);
  const exclusionMode = exclusion?.InternetGatewayExclusionMode;
  const blocksIngress = inForce && (mode === 'block-ingress' || mode === 'block-bidirectional');
  const blocksEgress = inForce && mode === 'block-bidirectional';
  return {
    mode,
    ingressBlocked: blocksIngress && exclusionMode !== 'allow-bidirectional',
    egressBlocked:
      blocksEgress && exclusionMode !== 'allow-bidirectional' && exclusionMode !== 'allow-egress',
    ...(exclusion === undefined ? {} : { exclusion }),
  };
}
