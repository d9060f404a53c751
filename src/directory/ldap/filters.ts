/**
 * LDAP filters built as ldapts filter objects. A value given to a filter object is written into
 * the BER octet string as it is, so user text can never change the filter's structure: `*`, `(`,
 * `)`, `\`, NUL and non-ASCII characters are compared literally. Nothing here builds filter text.
 */
import {
  AndFilter,
  EqualityFilter,
  ExtensibleFilter,
  OrFilter,
  SubstringFilter,
  type Filter,
} from 'ldapts';

/** AD's LDAP_MATCHING_RULE_IN_CHAIN: membership through any depth of nested groups. */
export const IN_CHAIN_RULE = '1.2.840.113556.1.4.1941';

/** Longest identifier worth sending: AD caps userPrincipalName at 1024 characters. */
export const MAX_IDENTIFIER_LENGTH = 1024;

/**
 * User text fit to send, trimmed; undefined when it cannot be a name. NUL is refused here because
 * Samba (unlike Windows AD) ends a filter value at NUL, so `c.active\0` would match `c.active`.
 */
export function usableText(text: string): string | undefined {
  const value = text.trim();
  if (!value || value.length > MAX_IDENTIFIER_LENGTH || value.includes('\u0000')) return undefined;

  return value;
}

/** Attribute names the filters need. */
export interface FilterAttributes {
  username: string;
  mail: string;
}

/** AD people: user objects that are persons (computers are users too, but not persons). */
export function userFilter(): Filter {
  return new AndFilter({
    filters: [
      new EqualityFilter({ attribute: 'objectCategory', value: 'person' }),
      new EqualityFilter({ attribute: 'objectClass', value: 'user' }),
    ],
  });
}

/** Splits `DOMAIN\user`; undefined when the text has any other shape. */
export function splitDownLevelLogon(text: string): { domain: string; user: string } | undefined {
  const match = /^([^\\]+)\\([^\\]+)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;

  return { domain: match[1], user: match[2] };
}

/**
 * Every way a requester may name a contractor: logon name, UPN, mail or display name, compared
 * for equality (AD compares these case-insensitively). `DOMAIN\user` also tries the logon name
 * when the domain is ours (or when no domain is configured). Undefined: nothing can match.
 */
export function identifierFilter(
  identifier: string,
  attrs: FilterAttributes,
  netbiosDomain?: string,
): Filter | undefined {
  const value = usableText(identifier);
  if (!value) return undefined;

  const names = new Set([attrs.username, 'userPrincipalName', attrs.mail, 'displayName']);
  const filters: Filter[] = [...names].map((attribute) => new EqualityFilter({ attribute, value }));

  const downLevel = splitDownLevelLogon(value);
  const ourDomain =
    downLevel && (!netbiosDomain || downLevel.domain.toLowerCase() === netbiosDomain.toLowerCase());
  if (downLevel && ourDomain) {
    filters.push(new EqualityFilter({ attribute: attrs.username, value: downLevel.user }));
  }

  return new AndFilter({ filters: [userFilter(), new OrFilter({ filters })] });
}

/** Users whose attribute equals one value, e.g. userPrincipalName for a Teams identity. */
export function attributeFilter(attribute: string, text: string): Filter | undefined {
  const value = usableText(text);
  if (!value) return undefined;

  return new AndFilter({ filters: [userFilter(), new EqualityFilter({ attribute, value })] });
}

/** Type-ahead: display name or logon name starting with the text. */
export function prefixFilter(prefix: string, usernameAttribute: string): Filter | undefined {
  const initial = usableText(prefix);
  if (!initial) return undefined;

  const names = new Set(['displayName', usernameAttribute]);
  const filters = [...names].map((attribute) => new SubstringFilter({ attribute, initial }));

  return new AndFilter({ filters: [userFilter(), new OrFilter({ filters })] });
}

/** Nested membership of one group, as an extensible-match filter object. */
export function inChainMemberOf(groupDn: string): Filter {
  return new ExtensibleFilter({ matchType: 'memberOf', rule: IN_CHAIN_RULE, value: groupDn });
}

/** Users in a group, directly or through nested groups. */
export function groupMembersFilter(groupDn: string): Filter {
  return new AndFilter({ filters: [userFilter(), inChainMemberOf(groupDn)] });
}

/** A group named by its logon name (sAMAccountName) or common name. */
export function groupByNameFilter(name: string): Filter {
  return new AndFilter({
    filters: [
      new EqualityFilter({ attribute: 'objectClass', value: 'group' }),
      new OrFilter({
        filters: [
          new EqualityFilter({ attribute: 'sAMAccountName', value: name }),
          new EqualityFilter({ attribute: 'cn', value: name }),
        ],
      }),
    ],
  });
}
