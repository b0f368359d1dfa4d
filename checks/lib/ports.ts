/** Port lists and inclusive port ranges, shared by the security-group and network-ACL checks. */

/**
 * Security Hub EC2.19's "highest risk" ports (AWS-SEMANTICS 2.3): FTP, SSH, Telnet, SMTP, POP3,
 * RPC, IMAP, CIFS, MSSQL, 3000, MySQL, RDP, 4333, 5000, PostgreSQL, 5500, OpenSearch Dashboards,
 * 8080, 8088, 8888 and OpenSearch.
 */
export const HIGH_RISK_PORTS: readonly number[] = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080,
  8088, 8888, 9200, 9300,
];

/** The remote administration ports CIS 5.x and EC2.21 name: SSH and RDP. */
export const CIS_ADMIN_PORTS: readonly number[] = [22, 3389];

export const MIN_PORT = 0;
export const MAX_PORT = 65535;

/** An inclusive range of TCP or UDP ports. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export const ALL_PORTS: PortRange = { from: MIN_PORT, to: MAX_PORT };

/** Sorted, without duplicates. */
export function uniquePorts(ports: Iterable<number>): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

export function portInRange(port: number, range: PortRange): boolean {
  return range.from <= port && port <= range.to;
}

/** The ports of `ports` inside `range`, sorted. */
export function portsInRange(ports: Iterable<number>, range: PortRange): number[] {
  return uniquePorts(ports).filter((port) => portInRange(port, range));
}

/** `range` without `ports`: the sub-ranges left over, in order. */
export function subtractPorts(range: PortRange, ports: Iterable<number>): PortRange[] {
  const left: PortRange[] = [];
  let from = range.from;
  for (const port of portsInRange(ports, range)) {
    if (port > from) left.push({ from, to: port - 1 });
    from = port + 1;
  }
  if (from <= range.to) left.push({ from, to: range.to });
  return left;
}

/** `22` or `1024-65535`. */
export function formatPortRange(range: PortRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}
