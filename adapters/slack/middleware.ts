/**
 * One Bolt middleware in front of every listener: it remembers each Events API delivery by its
 * event_id (in the store, so a restart does not forget), drops the ones already seen, and tracks
 * the work so idle() and shutdown can wait for it.
 */
import type { Middleware, AnyMiddlewareArgs } from '@slack/bolt';
import { firstTime, type SlackContext } from './context.js';

export function trackAndDedupe(
  ctx: Pick<SlackContext, 'store' | 'logger'>,
  inflight: Set<Promise<unknown>>,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, next }) => {
    const job = (async () => {
      const eventId = (body as { event_id?: unknown }).event_id;
      if (typeof eventId === 'string') {
        const fresh = await firstTime(ctx, `event:${eventId}`);
        // A retry of an event never seen (the first delivery was lost) is work still to do.
        if (!fresh) {
          ctx.logger.info(
            { event_id: eventId, retry_num: context.retryNum, retry_reason: context.retryReason },
            'slack_duplicate_event_ignored',
          );

          return;
        }
      }
      await next();
    })();
    // Failures reach Bolt's error handler through `await job`; the tracked copy only waits.
    const tracked = job.catch(() => undefined).finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    await job;
  };
}
