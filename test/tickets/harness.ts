/**
 * One face for the three trackers, so the lifecycle tests run against each: the sink custos
 * uses, and what a person sees and does in the tracker.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalReportStore } from '../../reports/local-store.js';
import { GithubTicketSink } from '../../tickets/github.js';
import { JiraTicketSink } from '../../tickets/jira.js';
import { type LocalTicketFile, LocalTicketSink, localTicketKey } from '../../tickets/local.js';
import type { TicketSink } from '../../tickets/types.js';
import { FakeGithub } from './fakes/github.js';
import { FakeJira, STATUSES } from './fakes/jira.js';
import { FakeClock } from './fixtures.js';

export interface SeenTicket {
  readonly key: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed';
  readonly assignee?: string;
  readonly comments: readonly string[];
  readonly description: string;
}

export interface Harness {
  readonly name: 'jira' | 'github' | 'local';
  readonly clock: FakeClock;
  /** A sink as a fresh process would make it. */
  sink(): TicketSink;
  tickets(): Promise<SeenTicket[]>;
  ticket(key: string): Promise<SeenTicket>;
  closeAsDone(key: string): Promise<void>;
  /** Won't Fix (Jira), not planned (GitHub), a resolution of "Won't Fix" (local). */
  closeAsDecision(key: string): Promise<void>;
  edit(key: string, change: { title?: string; labels?: string[]; assignee?: string }): Promise<void>;
  stop(): Promise<void>;
}

export async function jiraHarness(
  options: { indexLagMs?: number; pageSize?: number } = {},
): Promise<Harness & { fake: FakeJira }> {
  const fake = await new FakeJira(options).start();
  const clock = new FakeClock();
  const toSeen = (key: string): SeenTicket => {
    const issue = fake.issues.get(key)!;
    return {
      key,
      title: issue.summary,
      labels: issue.labels,
      state: issue.status.category === 'done' ? 'closed' : 'open',
      ...(issue.assignee !== null && { assignee: issue.assignee }),
      comments: fake.commentTexts(key),
      description: fake.descriptionText(key),
    };
  };
  return {
    name: 'jira',
    fake,
    clock,
    sink: () =>
      new JiraTicketSink({
        baseUrl: fake.url,
        projectKey: fake.projectKey,
        issueType: 'Bug',
        email: fake.email,
        token: fake.token,
        priorities: { critical: 'Highest', high: 'High' },
        retry: { sleep: clock.sleep, now: clock.now },
      }),
    tickets: async () => [...fake.issues.keys()].map(toSeen),
    ticket: async (key) => toSeen(key),
    closeAsDone: async (key) => fake.personTransition(key, STATUSES.done, 'Done'),
    closeAsDecision: async (key) => fake.personTransition(key, STATUSES.done, "Won't Fix"),
    edit: async (key, change) =>
      fake.personEdit(key, {
        ...(change.title !== undefined && { summary: change.title }),
        ...(change.labels !== undefined && { labels: change.labels }),
        ...(change.assignee !== undefined && { assignee: change.assignee }),
      }),
    stop: () => fake.stop(),
  };
}

export async function githubHarness(
  options: { pageSize?: number; prefix?: string } = {},
): Promise<Harness & { fake: FakeGithub }> {
  const fake = await new FakeGithub(options).start();
  const clock = new FakeClock();
  const toSeen = (key: string): SeenTicket => {
    const issue = fake.issues.get(Number(key))!;
    return {
      key,
      title: issue.title,
      labels: issue.labels,
      state: issue.state,
      ...(issue.assignees[0] !== undefined && { assignee: issue.assignees[0] }),
      comments: issue.comments.map((c) => c.body),
      description: issue.body ?? '',
    };
  };
  return {
    name: 'github',
    fake,
    clock,
    sink: () =>
      new GithubTicketSink({
        repo: `${fake.owner}/${fake.repo}`,
        token: fake.token,
        baseUrl: fake.apiUrl,
        retry: { sleep: clock.sleep, now: clock.now },
      }),
    tickets: async () => fake.realIssues().map((i) => toSeen(String(i.number))),
    ticket: async (key) => toSeen(key),
    closeAsDone: async (key) => fake.personClose(Number(key), 'completed'),
    closeAsDecision: async (key) => fake.personClose(Number(key), 'not_planned'),
    edit: async (key, change) =>
      fake.personEdit(Number(key), {
        ...(change.title !== undefined && { title: change.title }),
        ...(change.labels !== undefined && { labels: change.labels }),
        ...(change.assignee !== undefined && { assignees: [change.assignee] }),
      }),
    stop: () => fake.stop(),
  };
}

export async function localHarness(): Promise<Harness & { store: LocalReportStore }> {
  const store = new LocalReportStore(mkdtempSync(join(tmpdir(), 'custos-tickets-')));
  const clock = new FakeClock();
  const read = async (key: string): Promise<LocalTicketFile> =>
    JSON.parse((await store.get(localTicketKey(key)))!.toString('utf8')) as LocalTicketFile;
  const write = async (file: LocalTicketFile & { assignee?: string }) =>
    store.put(localTicketKey(file.key), JSON.stringify(file, null, 2));
  const toSeen = (file: LocalTicketFile & { assignee?: string }): SeenTicket => ({
    key: file.key,
    title: file.title,
    labels: file.labels,
    state: file.state,
    ...(file.assignee !== undefined && { assignee: file.assignee }),
    comments: file.comments.map((c) => c.body),
    description: file.description,
  });
  const personClose = async (key: string, resolution: string) => {
    const file = await read(key);
    await write({
      ...file,
      state: 'closed',
      resolution,
      closedBy: 'alice',
      closedAt: new Date().toISOString(),
    });
  };
  return {
    name: 'local',
    store,
    clock,
    sink: () => new LocalTicketSink(store, { now: clock.date }),
    tickets: async () => {
      const keys = (await store.list('tickets/')).filter((k) => /^tickets\/[0-9a-f]{64}\.json$/.test(k));
      return Promise.all(
        keys.map(async (k) => toSeen(await read(k.slice('tickets/'.length, -'.json'.length)))),
      );
    },
    ticket: async (key) => toSeen(await read(key)),
    closeAsDone: (key) => personClose(key, 'Done'),
    closeAsDecision: (key) => personClose(key, "Won't Fix"),
    edit: async (key, change) => {
      const file = await read(key);
      await write({
        ...file,
        ...(change.title !== undefined && { title: change.title }),
        ...(change.labels !== undefined && { labels: change.labels }),
        ...(change.assignee !== undefined && { assignee: change.assignee }),
      });
    },
    stop: async () => {},
  };
}

export const HARNESSES = [
  ['jira', () => jiraHarness()],
  ['github', () => githubHarness()],
  ['local', () => localHarness()],
] as const;
