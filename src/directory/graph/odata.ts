/**
 * Building Graph queries from hostile text. Graph reads OData string literals, so a quote is doubled;
 * the SDK concatenates query strings and paths as given, so every value is percent-encoded here too
 * (a raw `#` would cut the URL, a raw `+` reads as a space and a raw `&` splits the query).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the text is an Entra object id, the only thing we ever put in a URL path. */
export function isObjectId(text: string): boolean {
  return GUID.test(text);
}

/** An OData string literal: quoted, with every single quote doubled. */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A `$filter` value ready for the SDK's `.filter()`: the expression percent-encoded as a whole. */
export function encodeFilter(expression: string): string {
  return encodeURIComponent(expression);
}

/** Properties matched exactly when the bot is handed an e-mail-like identifier. */
function addressMatches(lit: string): string[] {
  return [`userPrincipalName eq ${lit}`, `mail eq ${lit}`, `otherMails/any(m:m eq ${lit})`];
}

/**
 * The `$filter` expression for find(): a UPN, mail or guest UPN when the text has an `@`, otherwise
 * an on-premises logon name (also as `DOMAIN\user`), the UPN's local part or an exact display name.
 */
export function findFilter(identifier: string): string {
  const lit = literal(identifier);
  if (identifier.includes('@'))
    return [...addressMatches(lit), `displayName eq ${lit}`].join(' or ');

  const slash = identifier.indexOf('\\');
  const logon = slash >= 0 ? identifier.slice(slash + 1) : identifier;
  if (slash >= 0) return `onPremisesSamAccountName eq ${literal(logon)}`;

  return [
    `onPremisesSamAccountName eq ${lit}`,
    `startswith(userPrincipalName,${literal(`${logon}@`)})`,
    `displayName eq ${lit}`,
  ].join(' or ');
}

/** The `$filter` expression matching a chat user's e-mail: mail, other mails, then UPN. */
export function emailFilter(email: string): string {
  return addressMatches(literal(email)).join(' or ');
}

/** The `$filter` expression matching a UPN exactly. */
export function upnFilter(upn: string): string {
  return `userPrincipalName eq ${literal(upn)}`;
}

/** The `$filter` expression for type-ahead: display name or UPN starting with the text. */
export function prefixFilter(prefix: string): string {
  const lit = literal(prefix);

  return `startswith(displayName,${lit}) or startswith(userPrincipalName,${lit})`;
}

/** The `$filter` expression finding a group by its display name or mail nickname. */
export function groupFilter(name: string): string {
  const lit = literal(name);

  return `displayName eq ${lit} or mailNickname eq ${lit}`;
}
