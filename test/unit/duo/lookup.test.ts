import assert from 'node:assert/strict';
import sinon from 'sinon';
import { findDuoUser } from '../../../src/duo/lookup.js';
import type { DuoAdmin, DuoUser } from '../../../src/duo/types.js';

const user = (username: string): DuoUser => ({
  user_id: `DU-${username}`,
  username,
  status: 'active',
  is_enrolled: false,
  phones: [],
});

/** A DuoAdmin whose look-ups answer from `known`, each after `delays[name]` ms. */
function fakeDuo(known: Record<string, DuoUser>, delays: Record<string, number> = {}) {
  const load = { inFlight: 0, most: 0 };
  const findUserByUsername = sinon.spy((name: string) => {
    load.inFlight += 1;
    load.most = Math.max(load.most, load.inFlight);

    return new Promise<DuoUser | undefined>((resolve) =>
      setTimeout(() => {
        load.inFlight -= 1;
        resolve(known[name]);
      }, delays[name] ?? 0),
    );
  });

  return { duo: { findUserByUsername } as unknown as DuoAdmin, findUserByUsername, load };
}

describe('findDuoUser', () => {
  it('asks for the username alone when Duo knows it', async () => {
    const { duo, findUserByUsername } = fakeDuo({ jdoe: user('jdoe') });
    const found = await findDuoUser(duo, 'jdoe', ['jdoe@contoso.com', 'j.doe@contoso.com']);
    assert.equal(found?.username, 'jdoe');
    assert.deepEqual(findUserByUsername.args, [['jdoe']]);
  });

  it('then asks every alias at once and keeps the first in order, not the first to answer', async () => {
    const { duo, findUserByUsername, load } = fakeDuo(
      { 'upn@contoso.com': user('by-upn'), 'mail@contoso.com': user('by-mail') },
      { 'upn@contoso.com': 30, 'mail@contoso.com': 1 },
    );
    const found = await findDuoUser(duo, 'jdoe', ['upn@contoso.com', 'mail@contoso.com']);
    assert.equal(found?.username, 'by-upn');
    assert.deepEqual(findUserByUsername.args, [
      ['jdoe'],
      ['upn@contoso.com'],
      ['mail@contoso.com'],
    ]);
    // Both aliases were in flight together.
    assert.equal(load.most, 2);
  });

  it('answers undefined when nobody matches', async () => {
    const { duo } = fakeDuo({});
    assert.equal(await findDuoUser(duo, 'ghost', ['ghost@contoso.com']), undefined);
  });
});
