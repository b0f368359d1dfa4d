/**
 * The framework catalogues: each framework's control ids and titles. Which checks map to which
 * controls is stored once, on each check (`frameworks`); this module gives the ids their titles
 * and derives the reverse index that reports show.
 */
import { FRAMEWORK_IDS, type FrameworkId, type FrameworkRefs } from '../types.js';
import { cisAws30 } from './cis-aws-3.0.js';
import { cisAws50 } from './cis-aws-5.0.js';
import { ferpa } from './ferpa.js';
import { fsbp } from './fsbp.js';
import { gdpr } from './gdpr.js';
import { hipaa } from './hipaa.js';
import type { Framework, FrameworkControl } from './types.js';

export type { Framework, FrameworkControl } from './types.js';

export const FRAMEWORKS: Readonly<Record<FrameworkId, Framework>> = {
  'cis-aws-3.0': cisAws30,
  'cis-aws-5.0': cisAws50,
  fsbp,
  hipaa,
  gdpr,
  ferpa,
};

/** What the reverse index needs of a check. */
export interface FrameworkMapped {
  readonly id: string;
  readonly frameworks: FrameworkRefs;
}

/** framework → control id → ids of the checks that map to it. */
export type ControlIndex = Readonly<Record<FrameworkId, Readonly<Record<string, readonly string[]>>>>;

export function findControl(frameworkId: FrameworkId, controlId: string): FrameworkControl | undefined {
  return FRAMEWORKS[frameworkId].controls.find((control) => control.id === controlId);
}

/**
 * The reverse index: for each framework, each control that at least one check maps to, with the
 * checks' ids (sorted). Controls come in catalogue order; an id the catalogue lacks is kept,
 * after the known ones, rather than dropped.
 */
export function controlsToChecks(checks: readonly FrameworkMapped[]): ControlIndex {
  const index = {} as Record<FrameworkId, Readonly<Record<string, readonly string[]>>>;
  for (const frameworkId of FRAMEWORK_IDS) {
    const byControl = new Map<string, Set<string>>();
    for (const check of checks) {
      for (const controlId of check.frameworks[frameworkId] ?? []) {
        const ids = byControl.get(controlId) ?? new Set<string>();
        ids.add(check.id);
        byControl.set(controlId, ids);
      }
    }
    const order = new Map(
      FRAMEWORKS[frameworkId].controls.map((control, position) => [control.id, position]),
    );
    const controlIds = [...byControl.keys()].sort(
      (a, b) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER),
    );
    index[frameworkId] = Object.fromEntries(
      controlIds.map((id) => [id, [...(byControl.get(id) ?? [])].sort()]),
    );
  }
  return index;
}

/** Every framework reference of the given checks that the catalogues do not know. */
export function unknownControls(
  checks: readonly FrameworkMapped[],
): Array<{ readonly checkId: string; readonly frameworkId: string; readonly controlId: string }> {
  const unknown: Array<{ checkId: string; frameworkId: string; controlId: string }> = [];
  for (const check of checks) {
    for (const [frameworkId, controlIds] of Object.entries(check.frameworks)) {
      for (const controlId of controlIds ?? []) {
        const known =
          (FRAMEWORK_IDS as readonly string[]).includes(frameworkId) &&
          findControl(frameworkId as FrameworkId, controlId) !== undefined;
        if (!known) unknown.push({ checkId: check.id, frameworkId, controlId });
      }
    }
  }
  return unknown;
}
