/**
 * The product's error classes. Upstream failures (Duo, LDAP, Graph, the store) are mapped to these
 * at the boundary, so callers branch on the class, never on message text.
 */

/** Base class: `code` is stable and safe to log; `message` is written for an operator. */
export class EnrolBotError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration value is missing or invalid; `variable` names what to set. */
export class ConfigError extends EnrolBotError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('config_invalid', `${variable}: ${message}`);
  }
}

/** The directory could not be reached or answered with an error (never "not found"). */
export class DirectoryUnavailableError extends EnrolBotError {
  constructor(
    readonly directory: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('directory_unavailable', message, options);
  }
}

/** Duo answered with its failure envelope or an unexpected status. */
export class DuoApiError extends EnrolBotError {
  constructor(
    readonly httpStatus: number,
    readonly duoCode: number | string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`duo_${duoCode ?? httpStatus}`, message, options);
  }
}

/** Duo refused the credentials (40102, 40103) or the application lacks a grant (40301). */
export class DuoAuthError extends DuoApiError {}

/** Duo rate-limited the call (HTTP 429, code 42901) and the bounded back-off ran out. */
export class DuoRateLimitError extends DuoApiError {}

/** Duo could not find the resource (HTTP 404, code 40401). */
export class DuoNotFoundError extends DuoApiError {}

/** Duo rejected the parameters (HTTP 400: 40002, 40003 ...). */
export class DuoBadRequestError extends DuoApiError {}

/**
 * The call may or may not have reached Duo: a timeout, a reset connection, a 5xx or a body that is
 * not Duo's envelope. A POST that ends this way must never be retried blindly.
 */
export class DuoUnavailableError extends EnrolBotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('duo_unavailable', message, options);
  }
}

/** A compare-and-set on a stored request lost: someone else moved it first. */
export class StaleRequestError extends EnrolBotError {
  constructor(
    readonly requestId: string,
    readonly actualState: string,
  ) {
    super('request_stale', `${requestId} is already ${actualState}`);
  }
}

/** No request (or batch) with that id is in the store. */
export class RequestNotFoundError extends EnrolBotError {
  constructor(readonly requestId: string) {
    super('request_not_found', `There is no request ${requestId}`);
  }
}

/** The requested transition is not allowed from the request's current state. */
export class InvalidTransitionError extends EnrolBotError {
  constructor(
    readonly requestId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super('invalid_transition', `${requestId} cannot go from ${from} to ${to}`);
  }
}

/** The store file is missing data, truncated or not ours; the bot stops rather than reset it. */
export class StoreCorruptError extends EnrolBotError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('store_corrupt', message, options);
  }
}

/** Another process holds the store. */
export class StoreLockedError extends EnrolBotError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('store_locked', message);
  }
}

/** The actor may not do what they asked (not an approver, not the requester...). */
export class NotAllowedError extends EnrolBotError {
  constructor(message: string) {
    super('not_allowed', message);
  }
}

/** A per-requester or global rate limit of the bot itself was hit. */
export class LimitReachedError extends EnrolBotError {
  constructor(message: string) {
    super('limit_reached', message);
  }
}

/**
 * The phone number belongs to another Duo user. The bot refuses to move it: silently moving a phone
 * between people is exactly the attack to prevent, so a person must look (needs_attention).
 */
export class PhoneOwnedByOtherUserError extends EnrolBotError {
  constructor(
    readonly phoneId: string,
    readonly ownerUsernames: string[],
  ) {
    super('phone_owned_by_other_user', 'This phone number is registered to another Duo user');
  }
}

/** The contractor's account expires before an enrolment link could be used; nothing was sent. */
export class AccountExpiringError extends EnrolBotError {
  constructor(readonly expiresAt: Date) {
    super('account_expiring', `The account expires at ${expiresAt.toISOString()}`);
  }
}
