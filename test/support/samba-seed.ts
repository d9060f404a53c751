/**
 * The test directory's contents: one contractor per validation rule, the groups around them, a
 * 1,200-member group and hostile names, written as ONE LDIF so seeding is a single ldapmodify.
 */
import { toFiletime } from '../../src/directory/ldap/mapping.js';

/** The test domain. */
export const DOMAIN = {
  realm: 'CORP.TEST',
  netbios: 'CORP',
  dnsName: 'corp.test',
  baseDn: 'DC=corp,DC=test',
} as const;

/** Members of the large group; more than AD's 1000-entry page and 1500-value member limits. */
export const BULK_COUNT = 1200;

/** The service account the product binds as (not the domain administrator). */
export const SERVICE_ACCOUNT = {
  sam: 'svc-enrolbot',
  dn: `CN=svc-enrolbot,CN=Users,${DOMAIN.baseDn}`,
  password: 'Svc-Enrolbot-Test-Pass1!',
};

const OU = {
  contractors: `OU=Contractors,${DOMAIN.baseDn}`,
  staff: `OU=Staff,${DOMAIN.baseDn}`,
  groups: `OU=Groups,${DOMAIN.baseDn}`,
  misc: `OU=Misc,${DOMAIN.baseDn}`,
  bulk: `OU=Bulk,${DOMAIN.baseDn}`,
};

/** Far future / past expiry dates, fixed so the fixtures never depend on today's date. */
export const FUTURE_EXPIRY = new Date('2099-01-01T00:00:00Z');
export const PAST_EXPIRY = new Date('2020-01-01T00:00:00Z');

type Attrs = Record<string, string | string[]>;

interface SeedUser {
  cn: string;
  sam: string;
  ou: string;
  attrs?: Attrs;
}

const JANE = `CN=${rdnValue('Smith, Jane')},${OU.staff}`;
const ZOE = `CN=${rdnValue('Zoë Ødegård')},${OU.staff}`;

/** Seeded users by role; keys are what tests refer to. */
const USERS = {
  active: {
    cn: 'Cara Active',
    sam: 'c.active',
    ou: OU.contractors,
    attrs: {
      mobile: '+44 7400 123456',
      mail: 'cara@contractor.example',
      employeeType: 'Contractor',
      accountExpires: toFiletime(FUTURE_EXPIRY),
      manager: JANE,
    },
  },
  disabled: {
    cn: 'Dan Disabled',
    sam: 'c.disabled',
    ou: OU.contractors,
    attrs: {
      userAccountControl: '514',
      mobile: '+44 7400 123457',
    },
  },
  expired: {
    cn: 'Eve Expired',
    sam: 'c.expired',
    ou: OU.contractors,
    attrs: {
      accountExpires: toFiletime(PAST_EXPIRY),
      mobile: '+44 7400 123458',
    },
  },
  never0: { cn: 'Nia Never', sam: 'c.never0', ou: OU.contractors, attrs: { accountExpires: '0' } },
  neverMax: {
    cn: 'Max Never',
    sam: 'c.nevermax',
    ou: OU.contractors,
    attrs: {
      accountExpires: '9223372036854775807',
    },
  },
  landline: {
    cn: 'Lee Landline',
    sam: 'c.landline',
    ou: OU.contractors,
    attrs: {
      telephoneNumber: '+44 121 234 5678',
    },
  },
  otherMobile: {
    cn: 'Olu Othermobile',
    sam: 'c.othermobile',
    ou: OU.contractors,
    attrs: {
      otherMobile: '+44 7400 123459',
      telephoneNumber: '+44 121 234 5679',
    },
  },
  otherMail: {
    cn: 'Omar Othermail',
    sam: 'c.othermail',
    ou: OU.contractors,
    attrs: {
      mail: 'omar@contractor.example',
      otherMailbox: 'omar.alt@contractor.example',
      manager: ZOE,
    },
  },
  nested: { cn: 'Nora Nested', sam: 'c.nested', ou: OU.contractors },
  chris1: {
    cn: 'Chris Lee',
    sam: 'chris.lee',
    ou: OU.contractors,
    attrs: { displayName: 'Chris Lee' },
  },
  chris2: {
    cn: 'Christopher Lee',
    sam: 'c.lee2',
    ou: OU.contractors,
    attrs: {
      displayName: 'Chris Lee',
    },
  },
  jane: { cn: 'Smith, Jane', sam: 'jsmith', ou: OU.staff, attrs: { mail: 'jane.smith@corp.test' } },
  zoe: { cn: 'Zoë Ødegård', sam: 'zodegard', ou: OU.staff, attrs: { mail: 'zoe@corp.test' } },
  star: { cn: 'Star * Person', sam: 'star.person', ou: OU.misc },
  parens: { cn: 'Pat (ops) Jones', sam: 'pat.ops', ou: OU.misc },
  backslash: { cn: 'Back\\slash Ann', sam: 'back.slash', ou: OU.misc },
} satisfies Record<string, SeedUser>;

/** A seeded user's name for tests. */
export type SeededUserKey = keyof typeof USERS;

const GROUP_NAMES = {
  contractors: 'Contractors',
  projectX: 'Contractors-ProjectX',
  approvers: 'Security-Approvers',
  managers: 'Contractor-Managers',
  bulk: 'Bulk-Contractors',
  empty: 'Empty-Group',
};

/** Seeded group's name for tests. */
export type SeededGroupKey = keyof typeof GROUP_NAMES;

/** DNs of everything seeded, for assertions. */
export interface SeededDns {
  users: Record<SeededUserKey, string>;
  sams: Record<SeededUserKey, string>;
  groups: Record<SeededGroupKey, string>;
  ous: typeof OU;
  /** Users directly in OU=Contractors (for OU expansion). */
  contractorsOuCount: number;
}

/** Where everything lands; pure, so tests can use it without a server. */
export function seededDns(): SeededDns {
  const users = {} as Record<SeededUserKey, string>;
  const sams = {} as Record<SeededUserKey, string>;
  for (const [key, u] of Object.entries(USERS) as [SeededUserKey, SeedUser][]) {
    users[key] = userDn(u);
    sams[key] = u.sam;
  }
  const groups = {} as Record<SeededGroupKey, string>;
  for (const [key, name] of Object.entries(GROUP_NAMES) as [SeededGroupKey, string][]) {
    groups[key] = `CN=${name},${OU.groups}`;
  }
  const contractorsOuCount = Object.values(USERS).filter((u) => u.ou === OU.contractors).length;

  return { users, sams, groups, ous: OU, contractorsOuCount };
}

/** The whole seed as LDIF (changetype add), in dependency order. */
export function seedLdif(): string {
  const dns = seededDns();
  const records: string[] = [];
  const add = (dn: string, attrs: Attrs): void => {
    records.push(ldifRecord(dn, attrs));
  };

  for (const dn of Object.values(OU)) add(dn, { objectClass: 'organizationalUnit' });

  add(SERVICE_ACCOUNT.dn, {
    objectClass: 'user',
    sAMAccountName: SERVICE_ACCOUNT.sam,
    userPrincipalName: `${SERVICE_ACCOUNT.sam}@${DOMAIN.dnsName}`,
    // AD takes a password only as the quoted UTF-16LE unicodePwd, over an encrypted connection.
    'unicodePwd:': Buffer.from(`"${SERVICE_ACCOUNT.password}"`, 'utf16le').toString('base64'),
    userAccountControl: '66048',
  });

  // Managers first, so that `manager` values point at existing entries.
  const ordered = Object.values(USERS).sort((a, b) => rank(a) - rank(b));
  for (const u of ordered) add(userDn(u), userAttrs(u));

  const bulkDns: string[] = [];
  for (let i = 1; i <= BULK_COUNT; i += 1) {
    const n = String(i).padStart(4, '0');
    const u: SeedUser = { cn: `Bulk Contractor ${n}`, sam: `bulk.${n}`, ou: OU.bulk };
    bulkDns.push(userDn(u));
    add(userDn(u), userAttrs(u));
  }

  const direct = (Object.keys(USERS) as SeededUserKey[])
    .filter((k) => USERS[k].ou === OU.contractors && k !== 'nested')
    .map((k) => dns.users[k]);
  add(dns.groups.projectX, groupAttrs(GROUP_NAMES.projectX, [dns.users.nested]));
  add(
    dns.groups.contractors,
    groupAttrs(GROUP_NAMES.contractors, [...direct, dns.groups.projectX]),
  );
  add(dns.groups.approvers, groupAttrs(GROUP_NAMES.approvers, [dns.users.zoe]));
  add(dns.groups.managers, groupAttrs(GROUP_NAMES.managers, [dns.users.jane]));
  add(dns.groups.bulk, groupAttrs(GROUP_NAMES.bulk, bulkDns));
  add(dns.groups.empty, groupAttrs(GROUP_NAMES.empty, []));

  return records.join('\n');
}

function rank(u: SeedUser): number {
  return u.ou === OU.staff ? 0 : 1;
}

function userDn(u: SeedUser): string {
  return `CN=${rdnValue(u.cn)},${u.ou}`;
}

function userAttrs(u: SeedUser): Attrs {
  return {
    objectClass: 'user',
    sAMAccountName: u.sam,
    userPrincipalName: `${u.sam}@${DOMAIN.dnsName}`,
    displayName: u.cn,
    userAccountControl: '512',
    ...u.attrs,
  };
}

function groupAttrs(name: string, members: string[]): Attrs {
  return {
    objectClass: 'group',
    sAMAccountName: name,
    ...(members.length ? { member: members } : {}),
  };
}

/** RFC 4514 escaping of an attribute value inside a DN. */
export function rdnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}

/** One LDIF add record; non-ASCII or awkward values are base64 (`attr::`), as RFC 2849 asks. */
function ldifRecord(dn: string, attrs: Attrs): string {
  const lines = [ldifLine('dn', dn), 'changetype: add'];
  for (const [name, value] of Object.entries(attrs)) {
    // A name ending in ':' carries a value that is already base64.
    if (name.endsWith(':')) lines.push(`${name}: ${String(value)}`);
    else for (const v of [value].flat()) lines.push(ldifLine(name, v));
  }

  return `${lines.join('\n')}\n`;
}

function ldifLine(name: string, value: string): string {
  const safe = /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ');

  return safe ? `${name}: ${value}` : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}
