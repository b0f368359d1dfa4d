/**
 * Reads the form-encoded parameters of the EC2 and awsQuery protocols, where structures and
 * lists are flattened into numbered keys: `GroupId.1`, `Filter.1.Name`, `Filter.1.Value.2`,
 * and for awsQuery `PolicyArns.member.1.arn`.
 */
import { AwsError } from '../aws-error.js';

export class FormInput {
  readonly #fields: ReadonlyMap<string, string>;
  readonly #invalid: string;

  /** `invalidCode` is the error a malformed value is answered with in this protocol. */
  constructor(fields: ReadonlyMap<string, string>, invalidCode: string) {
    this.#fields = fields;
    this.#invalid = invalidCode;
  }

  static parse(body: string, invalidCode: string): FormInput {
    return new FormInput(new Map(new URLSearchParams(body)), invalidCode);
  }

  /** Every parameter, as sent. */
  entries(): Record<string, string> {
    return Object.fromEntries(this.#fields);
  }

  string(name: string): string | undefined {
    return this.#fields.get(name);
  }

  int(name: string): number | undefined {
    const text = this.#fields.get(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) {
      throw new AwsError(
        this.#invalid,
        `Value (${text}) for parameter ${name} is invalid. Expected an integer.`,
      );
    }
    return Number(text);
  }

  bool(name: string): boolean | undefined {
    const text = this.#fields.get(name);
    if (text === undefined) return undefined;
    if (text !== 'true' && text !== 'false') {
      throw new AwsError(
        this.#invalid,
        `Value (${text}) for parameter ${name} is invalid. Expected a boolean.`,
      );
    }
    return text === 'true';
  }

  /** The values of `prefix.1`, `prefix.2`, … in order. */
  list(prefix: string): string[] {
    return this.#numbered(prefix)
      .filter(([, rest]) => rest === '')
      .map(([, , value]) => value);
  }

  /** The structures under `prefix.1.`, `prefix.2.`, … each with its own keys. */
  structs(prefix: string): FormInput[] {
    const groups = new Map<number, Map<string, string>>();
    for (const [index, rest, value] of this.#numbered(prefix)) {
      if (!rest.startsWith('.')) continue;
      let group = groups.get(index);
      if (group === undefined) {
        group = new Map();
        groups.set(index, group);
      }
      group.set(rest.slice(1), value);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, fields]) => new FormInput(fields, this.#invalid));
  }

  /** [index, what follows the index, value] for every key `prefix.N…`, sorted by index. */
  #numbered(prefix: string): Array<[number, string, string]> {
    const out: Array<[number, string, string]> = [];
    const start = `${prefix}.`;
    for (const [key, value] of this.#fields) {
      if (!key.startsWith(start)) continue;
      const match = /^(\d+)(.*)$/.exec(key.slice(start.length));
      if (match !== null) out.push([Number(match[1]), match[2] ?? '', value]);
    }
    return out.sort(([a], [b]) => a - b);
  }
}
