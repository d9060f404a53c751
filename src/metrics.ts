/**
 * Prometheus metrics on a registry of our own (not prom-client's global one), so two apps in one
 * process, as in the tests, never share counters. Served at GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DuoCallOutcome } from './duo/transport.js';
import { REQUEST_STATES, type RequestState } from './workflow/types.js';

/** One Duo HTTP call as the Duo clients report it through `onCall`. */
export interface DuoCallInfo {
  method: string;
  path: string;
  outcome: DuoCallOutcome;
  ms: number;
}

/** The metrics the bot exports and the hooks that feed them. */
export interface Metrics {
  registry: Registry;
  /** The Duo clients' `onCall` hook; `api` is admin or auth. */
  observeDuoCall(api: 'admin' | 'auth', info: DuoCallInfo): void;
  /** One answered HTTP request; `route` is the mounted path, never the raw URL. */
  observeHttp(route: string, status: number, seconds: number): void;
  /** Where the requests-by-state gauge reads from, set once the store is open. */
  countRequests(source: () => Iterable<{ state: RequestState }>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Create the registry and every metric; default process metrics are included. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'enrolbot_' });
  let source: () => Iterable<{ state: RequestState }> = () => [];

  new Gauge({
    name: 'enrolbot_requests',
    help: 'Enrolment requests in the store, by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = new Map<string, number>(REQUEST_STATES.map((s) => [s, 0]));
      for (const r of source()) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  const duoCalls = new Counter({
    name: 'enrolbot_duo_calls_total',
    help: 'Duo API calls by API, method and outcome (ok, error, rate_limited, timeout)',
    labelNames: ['api', 'method', 'outcome'],
    registers: [registry],
  });
  const duoSeconds = new Histogram({
    name: 'enrolbot_duo_call_duration_seconds',
    help: 'Duo API call latency',
    labelNames: ['api', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const httpSeconds = new Histogram({
    name: 'enrolbot_http_request_duration_seconds',
    help: 'Latency of the HTTP endpoints (chat platforms and operator endpoints)',
    labelNames: ['route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  return {
    registry,
    observeDuoCall(api, info) {
      duoCalls.inc({ api, method: info.method, outcome: info.outcome });
      duoSeconds.observe({ api, outcome: info.outcome }, info.ms / 1000);
    },
    observeHttp(route, status, seconds) {
      httpSeconds.observe({ route, status: String(status) }, seconds);
    },
    countRequests(next) {
      source = next;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
