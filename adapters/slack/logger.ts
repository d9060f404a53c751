/** Bolt's logger interface on top of the product's pino logger, so Slack logs go to one place. */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt calls its logger with loose arguments; they become one message with the platform field. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const line = (parts: unknown[]): string =>
    parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ');

  return {
    debug: (...msg: unknown[]) => logger.debug({ bolt: line(msg) }, 'slack_bolt'),
    info: (...msg: unknown[]) => logger.info({ bolt: line(msg) }, 'slack_bolt'),
    warn: (...msg: unknown[]) => logger.warn({ bolt: line(msg) }, 'slack_bolt'),
    error: (...msg: unknown[]) => logger.error({ bolt: line(msg) }, 'slack_bolt'),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
