/**
 * The Graph fake's `$filter` support: a tokenizer, parser and evaluator for the subset of OData the
 * Entra ID backend sends, so a badly quoted value changes the answer as it would upstream.
 */
export const USER_PROPERTIES: Record<string, 'string' | 'array' | 'boolean'> = {
  id: 'string',
  displayName: 'string',
  givenName: 'string',
  surname: 'string',
  jobTitle: 'string',
  officeLocation: 'string',
  preferredLanguage: 'string',
  userPrincipalName: 'string',
  mail: 'string',
  mailNickname: 'string',
  otherMails: 'array',
  mobilePhone: 'string',
  businessPhones: 'array',
  accountEnabled: 'boolean',
  employeeType: 'string',
  employeeId: 'string',
  userType: 'string',
  companyName: 'string',
  department: 'string',
  onPremisesSamAccountName: 'string',
  onPremisesSyncEnabled: 'boolean',
  onPremisesImmutableId: 'string',
  creationType: 'string',
  externalUserState: 'string',
  usageLocation: 'string',
};

/** Properties Graph only filters on in advanced queries. */
const ADVANCED_PROPERTIES = ['onPremisesSamAccountName'];

// ---------------------------------------------------------------------------------------------
// $filter: tokenizer, parser and evaluator

type Token = { kind: 'str' | 'num' | 'word' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= input.length) throw new FilterError('unterminated string literal');
        if (input[i] === "'" && input[i + 1] === "'") {
          text += "'";
          i += 2;
        } else if (input[i] === "'") {
          i++;
          break;
        } else {
          text += input[i++];
        }
      }
      tokens.push({ kind: 'str', text });
    } else if ('(),:/'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else {
      const match = /^[A-Za-z0-9_.$-]+/.exec(input.slice(i));
      if (!match) throw new FilterError(`unexpected '${c}'`);
      const text = match[0];
      tokens.push({ kind: /^-?\d+$/.test(text) ? 'num' : 'word', text });
      i += text.length;
    }
  }

  return tokens;
}

export class FilterError extends Error {}

type Value = string | number | boolean | null | unknown[];
type Node = (item: Record<string, unknown>, scope: Record<string, unknown>) => Value;

/** Parse a $filter into a predicate; also reports which advanced features it used. */
export function parseFilter(input: string): { test: Node; advanced: boolean } {
  const tokens = tokenize(input);
  let pos = 0;
  let advanced = false;
  const peek = () => tokens[pos];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()?.text.toLowerCase() === w;
  const expect = (text: string) => {
    if (peek()?.text !== text) throw new FilterError(`expected '${text}'`);
    pos++;
  };

  const orExpr = (): Node => {
    let left = andExpr();
    while (isWord('or')) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (x, s) => Boolean(l(x, s)) || Boolean(r(x, s));
    }
    return left;
  };
  const andExpr = (): Node => {
    let left = unary();
    while (isWord('and')) {
      pos++;
      const l = left;
      const r = unary();
      left = (x, s) => Boolean(l(x, s)) && Boolean(r(x, s));
    }
    return left;
  };
  const unary = (): Node => {
    if (isWord('not')) {
      pos++;
      advanced = true;
      const inner = unary();
      return (x, s) => !inner(x, s);
    }
    return comparison();
  };
  const comparison = (): Node => {
    const left = operand();
    if (isWord('eq') || isWord('ne')) {
      const op = (tokens[pos++] as Token).text.toLowerCase();
      if (op === 'ne') advanced = true;
      const right = operand();
      return (x, s) => {
        const equal = same(left(x, s), right(x, s));
        return op === 'eq' ? equal : !equal;
      };
    }
    return left;
  };
  const operand = (): Node => {
    const token = peek();
    if (!token) throw new FilterError('unexpected end of filter');
    pos++;
    if (token.kind === 'str') return () => token.text;
    if (token.kind === 'num') return () => Number(token.text);
    if (token.text === '(') {
      const inner = orExpr();
      expect(')');
      return inner;
    }
    if (token.kind !== 'word') throw new FilterError(`unexpected '${token.text}'`);

    const name = token.text;
    const fn = name.toLowerCase();
    if ((fn === 'startswith' || fn === 'endswith') && peek()?.text === '(') {
      if (fn === 'endswith') advanced = true;
      pos++;
      const a = operand();
      expect(',');
      const b = operand();
      expect(')');
      return (x, s) => {
        const [hay, needle] = [a(x, s), b(x, s)];
        if (typeof hay !== 'string' || typeof needle !== 'string') return false;
        const h = hay.toLowerCase();
        return fn === 'startswith'
          ? h.startsWith(needle.toLowerCase())
          : h.endsWith(needle.toLowerCase());
      };
    }
    if (['true', 'false', 'null'].includes(fn)) return () => JSON.parse(fn) as Value;
    if (ADVANCED_PROPERTIES.includes(name)) advanced = true;

    if (peek()?.text === '/' && tokens[pos + 1]?.text === 'any') {
      pos += 2;
      expect('(');
      const variable = tokens[pos++]?.text ?? '';
      expect(':');
      const body = orExpr();
      expect(')');
      return (x, s) => {
        const list = x[name];
        return Array.isArray(list) && list.some((v) => Boolean(body(x, { ...s, [variable]: v })));
      };
    }
    if (!(name in USER_PROPERTIES) && name !== 'mailNickname') {
      // Lambda variables are resolved from the scope at evaluation time.
      return (_x, s) => {
        if (name in s) return s[name] as Value;
        throw new FilterError(`Could not find a property named '${name}'`);
      };
    }
    return (x) => (x[name] ?? null) as Value;
  };

  const test = orExpr();
  if (pos !== tokens.length) throw new FilterError(`unexpected '${tokens[pos]?.text}'`);

  return { test, advanced };
}

function same(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}
