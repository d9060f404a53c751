/**
 * The shape check every Bot Framework request passes before botbuilder sees it. The adapter and
 * the handler assume `from`, `conversation` and a string `type`; without this step a malformed
 * activity ends as a 500, a 501 or a logged stack trace instead of a plain 400.
 */
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';

/** Why an activity cannot be processed, and whether it is answered as a Teams invoke. */
export interface ActivityProblem {
  reason: string;
  invoke: boolean;
}

/** Activities that Teams answers through a conversation, so they need a serviceUrl. */
const ANSWERED = new Set(['message', 'invoke']);

/** The first problem with a request body, or undefined when botbuilder can process it. */
export function activityProblem(body: unknown): ActivityProblem | undefined {
  const problem = (reason: string, invoke = false): ActivityProblem => ({ reason, invoke });
  if (!isObject(body)) return problem('the body must be a JSON object (an activity)');

  const { type, from, conversation, serviceUrl, value } = body;
  if (typeof type !== 'string' || !type) return problem('the activity has no type');
  if (!isObject(from) || !nonEmpty(from.id)) return problem('the activity has no from.id');
  if (!isObject(conversation) || !nonEmpty(conversation.id))
    return problem('the activity has no conversation.id');

  if (serviceUrl !== undefined || ANSWERED.has(type)) {
    const urlProblem = serviceUrlProblem(serviceUrl);
    if (urlProblem) return problem(urlProblem);
  }
  if (type !== 'invoke') return undefined;

  if (value !== undefined && !isObject(value))
    return problem('the invoke value is not an object', true);
  if (body.name === 'adaptiveCard/action' && !isObject(isObject(value) ? value.action : undefined))
    return problem('the invoke value has no action object', true);

  return undefined;
}

function serviceUrlProblem(serviceUrl: unknown): string | undefined {
  if (!nonEmpty(serviceUrl)) return 'the activity has no serviceUrl';

  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return 'the serviceUrl is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'the serviceUrl is not an http(s) URL';
  // botbuilder's HTTP client hands "[::1]" to DNS with its brackets (ENOTFOUND after seconds),
  // so a reply to an IPv6 literal can never arrive; refuse it now, saying what works instead.
  if (url.hostname.startsWith('['))
    return 'a serviceUrl with an IPv6 address cannot be answered; use 127.0.0.1 or localhost';

  return undefined;
}

/**
 * Express middleware: answer a malformed activity with 400 and a short reason, logged once at
 * warn level without the body (it is the sender's data, and may be large).
 */
export function rejectMalformedActivities(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const found = activityProblem(req.body);
    if (!found) {
      next();

      return;
    }
    logger.warn({ reason: found.reason }, 'teams_activity_malformed');
    if (found.invoke) {
      // The error shape botbuilder itself returns for a bad Universal Action invoke.
      res.status(400).json({
        statusCode: 400,
        type: 'application/vnd.microsoft.error',
        value: { code: 'BadRequest', message: found.reason },
      });

      return;
    }
    res.status(400).json({ error: found.reason });
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
