/**
 * Bot Framework activities shaped as Teams sends them, and a client that posts them to the running
 * bot's /api/messages over real HTTP.
 */
import type { TeamsMember } from './fakeConnector.js';

/** Playground-style people of the sample directory. */
export const PEOPLE = {
  alex: {
    id: '29:alex',
    name: 'Alex Wilber',
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
    userPrincipalName: 'alexw@example.com',
    email: 'alexw@example.com',
  },
  megan: {
    id: '29:megan',
    name: 'Megan Bowen',
    aadObjectId: '00000000-0000-0000-0000-0000000000021',
    userPrincipalName: 'meganb@example.com',
    email: 'meganb@example.com',
  },
  adele: {
    id: '29:adele',
    name: 'Adele Vance',
    aadObjectId: '00000000-0000-0000-0000-0000000000022',
    userPrincipalName: 'adelev@example.com',
    email: 'adelev@example.com',
  },
  isaiah: {
    id: '29:isaiah',
    name: 'Isaiah Langer',
    aadObjectId: '00000000-0000-0000-0000-0000000000023',
    userPrincipalName: 'isaiah@example.com',
    email: 'isaiahl@example.com',
  },
  stranger: {
    id: '29:stranger',
    name: 'Sam Stranger',
    aadObjectId: '99999999-0000-0000-0000-000000000099',
    userPrincipalName: 'sam@elsewhere.example',
    email: 'sam@elsewhere.example',
  },
} satisfies Record<string, TeamsMember>;

export type Person = TeamsMember;

let counter = 0;

/** Common envelope; a personal chat unless a channel conversation is given. */
function envelope(
  serviceUrl: string,
  from: Person,
  conversation?: { id: string; type: 'personal' | 'channel' | 'groupChat' },
) {
  counter += 1;
  const conv = conversation ?? { id: `a:personal-${from.id}`, type: 'personal' as const };

  return {
    id: `act-${counter}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { id: '28:enrolbot', name: 'Duo Enrol' },
    conversation: {
      id: conv.id,
      conversationType: conv.type,
      tenantId: 'tenant-1',
      isGroup: conv.type !== 'personal',
    },
    channelData: { tenant: { id: 'tenant-1' } },
  };
}

/** A message, with the bot @-mentioned as Teams does in channels. */
export function messageActivity(
  serviceUrl: string,
  from: Person,
  text: string,
  options: {
    mention?: boolean;
    conversation?: { id: string; type: 'personal' | 'channel' | 'groupChat' };
  } = {},
) {
  const base = envelope(serviceUrl, from, options.conversation);
  const mention = '<at>Duo Enrol</at>';

  return {
    ...base,
    type: 'message',
    text: options.mention ? `${mention} ${text}` : text,
    entities: options.mention
      ? [{ type: 'mention', text: mention, mentioned: { id: '28:enrolbot', name: 'Duo Enrol' } }]
      : [],
  };
}

/** A Universal Action click (Action.Execute) on a card. */
export function invokeActivity(
  serviceUrl: string,
  from: Person,
  verb: string,
  data: Record<string, unknown>,
  replyToId?: string,
  conversation?: { id: string; type: 'personal' | 'channel' | 'groupChat' },
) {
  return {
    ...envelope(serviceUrl, from, conversation),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** Post an activity to the bot; returns the HTTP status and parsed body (invoke responses). */
export async function postActivity(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  const text = await res.text();

  let body: Record<string, unknown> | undefined;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    body = { text };
  }

  return { status: res.status, body };
}
