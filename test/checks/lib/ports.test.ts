import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatPortRange,
  HIGH_RISK_PORTS,
  portInRange,
  portsInRange,
  subtractPorts,
  uniquePorts,
} from '../../../checks/lib/ports.js';

const PROPERTY = { seed: 42, numRuns: 200 } as const;
const portArb = fc.integer({ min: 0, max: 65535 });

describe('ports', () => {
  it('lists the 24 EC2.19 high-risk ports', () => {
    expect(HIGH_RISK_PORTS).toHaveLength(24);
    expect(uniquePorts(HIGH_RISK_PORTS)).toEqual(HIGH_RISK_PORTS);
  });

  it.each([
    { range: { from: 0, to: 65535 }, ports: [80, 443], left: ['0-79', '81-442', '444-65535'] },
    { range: { from: 80, to: 80 }, ports: [80, 443], left: [] },
    { range: { from: 80, to: 81 }, ports: [80], left: ['81'] },
    { range: { from: 22, to: 22 }, ports: [80, 443], left: ['22'] },
    { range: { from: 0, to: 65535 }, ports: [], left: ['0-65535'] },
    { range: { from: 0, to: 0 }, ports: [0], left: [] },
    { range: { from: 65535, to: 65535 }, ports: [65535], left: [] },
  ])('$range.from-$range.to without $ports → $left', ({ range, ports, left }) => {
    expect(subtractPorts(range, ports).map(formatPortRange)).toEqual(left);
  });

  it.each([
    { ports: [3389, 22, 22], range: { from: 0, to: 1024 }, inside: [22] },
    { ports: [22, 3389], range: { from: 20, to: 4000 }, inside: [22, 3389] },
    { ports: [22], range: { from: 23, to: 25 }, inside: [] },
  ])('portsInRange($ports, $range) = $inside', ({ ports, range, inside }) => {
    expect(portsInRange(ports, range)).toEqual(inside);
  });

  it('a port inside [from, to] is always in range, and one outside never is (property)', () => {
    fc.assert(
      fc.property(portArb, portArb, portArb, (a, b, port) => {
        const range = { from: Math.min(a, b), to: Math.max(a, b) };
        expect(portInRange(port, range)).toBe(range.from <= port && port <= range.to);
      }),
      PROPERTY,
    );
  });

  it('subtracting ports leaves every other port of the range and none of the removed (property)', () => {
    fc.assert(
      fc.property(portArb, portArb, fc.array(portArb, { maxLength: 5 }), portArb, (a, b, removed, probe) => {
        const range = { from: Math.min(a, b), to: Math.max(a, b) };
        const left = subtractPorts(range, removed);
        const kept = left.some((r) => portInRange(probe, r));
        expect(kept).toBe(portInRange(probe, range) && !removed.includes(probe));
      }),
      PROPERTY,
    );
  });
});
