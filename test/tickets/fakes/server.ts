/**
 * A small HTTP server on 127.0.0.1 for the fake trackers: routes, JSON bodies, a request log and
 * injected faults (a status, headers and a body returned instead of the real answer, a number
 * of times).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export interface FakeResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface Fault extends FakeResponse {
  readonly method?: string;
  readonly path: RegExp;
  /** How many requests it answers; default 1. */
  times?: number;
}

type Handler = (request: FakeRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly handler: Handler;
}

export abstract class FakeServer {
  private server: Server | undefined;
  private readonly routes: Route[] = [];
  private readonly faults: Fault[] = [];
  readonly requests: FakeRequest[] = [];
  url = '';

  protected route(method: string, pattern: RegExp, handler: Handler): void {
    this.routes.push({ method, pattern, handler });
  }

  /** Answers the next matching request(s) with `fault` instead. */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Requests whose method and path match. */
  calls(method: string, path: RegExp): FakeRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  /** Checks credentials; returns an error response, or undefined when they are good. */
  protected abstract authenticate(request: FakeRequest): FakeResponse | undefined;

  /** Headers added to every response. */
  protected commonHeaders(): Record<string, string> {
    return {};
  }

  protected notFound(request: FakeRequest): FakeResponse {
    return { status: 404, body: { message: `no route for ${request.method} ${request.path}` } };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (this.server === undefined) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    this.requests.push(request);
    let response: FakeResponse;
    try {
      response = (await this.answer(request)) ?? this.notFound(request);
    } catch (error) {
      response = { status: 500, body: { message: (error as Error).message } };
    }
    const headers: Record<string, string> = { ...this.commonHeaders(), ...response.headers };
    if (response.body !== undefined && headers['content-type'] === undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    res.writeHead(response.status, headers);
    res.end(
      response.body === undefined
        ? undefined
        : typeof response.body === 'string'
          ? response.body
          : JSON.stringify(response.body),
    );
  }

  private async answer(request: FakeRequest): Promise<FakeResponse | undefined> {
    const fault = this.faults.find(
      (f) =>
        (f.times ?? 0) > 0 &&
        (f.method === undefined || f.method === request.method) &&
        f.path.test(request.path),
    );
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      return fault;
    }
    const denied = this.authenticate(request);
    if (denied !== undefined) return denied;
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (match !== null)
        return route.handler(
          request,
          match.slice(1).map((p) => decodeURIComponent(p)),
        );
    }
    return undefined;
  }
}
