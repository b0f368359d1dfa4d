/**
 * The control matrix: for each framework, each control that custos's checks map to, with what
 * this run found. Pure: it reads findings and the control index, nothing else.
 */
import { ALL_CHECKS } from '../../../checks/registry.js';
import { type ControlIndex, controlsToChecks, FRAMEWORKS } from '../../../core/frameworks/index.js';
import { type Finding, FRAMEWORK_IDS, type FrameworkId } from '../../../core/types.js';

/**
 * `FAIL` when any unsuppressed finding fails, else `ERROR` when any finding could not be
 * assessed, else `PASS` when findings exist, else `NOT_ASSESSED`.
 */
export type ControlStatus = 'FAIL' | 'ERROR' | 'PASS' | 'NOT_ASSESSED';

export interface ControlCounts {
  /** Unsuppressed FAIL findings. */
  readonly fail: number;
  readonly error: number;
  readonly pass: number;
  /** Suppressed FAIL findings: they do not make the control fail. */
  readonly suppressed: number;
}

export interface ControlRow {
  readonly controlId: string;
  /** The catalogue's title; empty when the catalogue does not know the id. */
  readonly title: string;
  readonly citation?: string;
  readonly status: ControlStatus;
  readonly counts: ControlCounts;
  /** The checks that map to the control (from the index and from the findings), sorted. */
  readonly checkIds: readonly string[];
  /** Those of `checkIds` that produced at least one finding in this run. */
  readonly assessedCheckIds: readonly string[];
}

export interface FrameworkMatrix {
  readonly frameworkId: FrameworkId;
  readonly name: string;
  readonly version?: string;
  readonly controls: readonly ControlRow[];
  readonly totals: Readonly<Record<ControlStatus, number>>;
}

/** The status of one control from its counts. */
export function controlStatus(counts: ControlCounts): ControlStatus {
  if (counts.fail > 0) return 'FAIL';
  if (counts.error > 0) return 'ERROR';
  if (counts.pass > 0 || counts.suppressed > 0) return 'PASS';
  return 'NOT_ASSESSED';
}

interface MutableControl {
  fail: number;
  error: number;
  pass: number;
  suppressed: number;
  checkIds: Set<string>;
  assessed: Set<string>;
}

/**
 * One matrix per framework. A control is listed when a check maps to it in `index` (by default
 * every registered check's mapping) or when a finding of this run carries it; a finding counts
 * toward every control its own `frameworks` names. Controls come in catalogue order, unknown
 * ids after the known ones.
 */
export function controlMatrix(
  findings: readonly MatrixFinding[],
  index: ControlIndex = controlsToChecks(ALL_CHECKS),
): FrameworkMatrix[] {
  const tally = new ControlTally(index);
  for (const finding of findings) tally.add(finding);
  return tally.matrices();
}

type MatrixFinding = Pick<Finding, 'checkId' | 'status' | 'frameworks' | 'suppressed'>;

/** `controlMatrix` counted one finding at a time. */
export class ControlTally {
  private readonly tallies = new Map<FrameworkId, Map<string, MutableControl>>();

  constructor(index: ControlIndex = controlsToChecks(ALL_CHECKS)) {
    for (const frameworkId of FRAMEWORK_IDS) {
      for (const [controlId, checkIds] of Object.entries(index[frameworkId] ?? {})) {
        const entry = this.tally(frameworkId, controlId);
        for (const checkId of checkIds) entry.checkIds.add(checkId);
      }
    }
  }

  add(finding: MatrixFinding): void {
    for (const frameworkId of FRAMEWORK_IDS) {
      for (const controlId of finding.frameworks[frameworkId] ?? []) {
        const entry = this.tally(frameworkId, controlId);
        entry.checkIds.add(finding.checkId);
        entry.assessed.add(finding.checkId);
        if (finding.status === 'ERROR') entry.error += 1;
        else if (finding.status === 'PASS') entry.pass += 1;
        else if (finding.suppressed !== undefined) entry.suppressed += 1;
        else entry.fail += 1;
      }
    }
  }

  matrices(): FrameworkMatrix[] {
    return FRAMEWORK_IDS.map((frameworkId) => {
      const framework = FRAMEWORKS[frameworkId];
      const order = new Map(framework.controls.map((control, position) => [control.id, position]));
      const byControl = this.tallies.get(frameworkId) ?? new Map<string, MutableControl>();
      const controlIds = [...byControl.keys()].sort(
        (a, b) =>
          (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER) ||
          a.localeCompare(b),
      );
      const totals: Record<ControlStatus, number> = { FAIL: 0, ERROR: 0, PASS: 0, NOT_ASSESSED: 0 };
      const controls = controlIds.map((controlId): ControlRow => {
        const entry = byControl.get(controlId)!;
        const known = framework.controls[order.get(controlId) ?? -1];
        const counts = {
          fail: entry.fail,
          error: entry.error,
          pass: entry.pass,
          suppressed: entry.suppressed,
        };
        const status = controlStatus(counts);
        totals[status] += 1;
        return {
          controlId,
          title: known?.title ?? '',
          ...(known?.citation !== undefined && { citation: known.citation }),
          status,
          counts,
          checkIds: [...entry.checkIds].sort(),
          assessedCheckIds: [...entry.assessed].sort(),
        };
      });
      return {
        frameworkId,
        name: framework.name,
        ...(framework.version !== undefined && { version: framework.version }),
        controls,
        totals,
      };
    });
  }

  private tally(frameworkId: FrameworkId, controlId: string): MutableControl {
    let byControl = this.tallies.get(frameworkId);
    if (byControl === undefined) {
      byControl = new Map();
      this.tallies.set(frameworkId, byControl);
    }
    let entry = byControl.get(controlId);
    if (entry === undefined) {
      entry = { fail: 0, error: 0, pass: 0, suppressed: 0, checkIds: new Set(), assessed: new Set() };
      byControl.set(controlId, entry);
    }
    return entry;
  }
}
