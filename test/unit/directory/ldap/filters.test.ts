/** Filter builders: user text only ever becomes a filter-object value. */
import assert from 'node:assert/strict';
import { EqualityFilter, ExtensibleFilter, type Filter } from 'ldapts';
import {
  IN_CHAIN_RULE,
  identifierFilter,
  inChainMemberOf,
  prefixFilter,
  splitDownLevelLogon,
  usableText,
} from '../../../../src/directory/ldap/filters.js';

const attrs = { username: 'sAMAccountName', mail: 'mail' };

/** Every leaf of a filter tree. */
function leaves(filter: Filter): Filter[] {
  const children = (filter as unknown as { filters?: Filter[] }).filters;

  return children ? children.flatMap(leaves) : [filter];
}

describe('ldap filters', () => {
  it('puts hostile text, unchanged, into equality values only', () => {
    const attack = '*)(objectClass=*';
    const filter = identifierFilter(attack, attrs);
    assert.ok(filter);
    const values = leaves(filter)
      .filter((f): f is EqualityFilter => f instanceof EqualityFilter)
      .map((f) => f.value);
    assert.ok(values.includes(attack));
    // The display form escapes it per RFC 4515; the wire form carries it as an octet string.
    assert.ok(filter.toString().includes('\\2a\\29\\28objectClass=\\2a'));
  });

  it('finds nothing for blank, NUL-containing or over-long text', () => {
    assert.equal(identifierFilter('  ', attrs), undefined);
    assert.equal(identifierFilter('c.active\u0000', attrs), undefined);
    assert.equal(identifierFilter('x'.repeat(1025), attrs), undefined);
    assert.equal(prefixFilter('\u0000', 'sAMAccountName'), undefined);
    assert.equal(usableText('  Chris Lee  '), 'Chris Lee');
  });

  it('adds the logon name for DOMAIN\\user only in our domain', () => {
    assert.deepEqual(splitDownLevelLogon('CORP\\jdoe'), { domain: 'CORP', user: 'jdoe' });
    assert.equal(splitDownLevelLogon('a\\b\\c'), undefined);

    const valuesOf = (text: string, domain?: string): string[] =>
      leaves(identifierFilter(text, attrs, domain)!)
        .filter((f): f is EqualityFilter => f instanceof EqualityFilter)
        .filter((f) => f.attribute === 'sAMAccountName')
        .map((f) => String(f.value));
    assert.deepEqual(valuesOf('corp\\jdoe', 'CORP'), ['corp\\jdoe', 'jdoe']);
    assert.deepEqual(valuesOf('OTHER\\jdoe', 'CORP'), ['OTHER\\jdoe']);
    assert.deepEqual(valuesOf('OTHER\\jdoe'), ['OTHER\\jdoe', 'jdoe']);
  });

  it('checks nested membership with the in-chain matching rule on memberOf', () => {
    const dn = 'CN=Smith\\, Jane,OU=Staff,DC=corp,DC=test';
    const filter = inChainMemberOf(dn);
    assert.ok(filter instanceof ExtensibleFilter);
    assert.equal(filter.matchType, 'memberOf');
    assert.equal(filter.rule, IN_CHAIN_RULE);
    assert.equal(filter.value, dn);
  });
});
