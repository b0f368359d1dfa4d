/** The shape of a framework catalogue: its control ids and titles, as data. */
import type { FrameworkId } from '../types.js';

export interface FrameworkControl {
  /** The id as the framework writes it (`1.4`, `IAM.4`, `164.312(d)`, `Art.32(1)(b)`). */
  readonly id: string;
  readonly title: string;
  /** The clause, for legal texts: where a reader finds the requirement. */
  readonly citation?: string;
}

export interface Framework {
  readonly id: FrameworkId;
  readonly name: string;
  readonly version?: string;
  readonly controls: readonly FrameworkControl[];
}
