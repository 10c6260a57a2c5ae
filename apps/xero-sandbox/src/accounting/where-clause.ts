/**
 * Xero's `where` filter language (a subset of .NET LINQ): comparisons on dotted field paths,
 * `&&`/`AND`, `||`/`OR`, parentheses, `!`, `guid("...")`, `DateTime(y,m,d[,h,m,s])`,
 * `.Contains/.StartsWith/.EndsWith("...")`, strings, numbers, true/false/null.
 * Parsed once into a predicate over a Xero-shaped record. String equality is case-insensitive, as in Xero.
 */
export class WhereClauseError extends Error {}

type Literal = { kind: 'literal'; value: string | number | boolean | null; type: 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'date' };
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; operand: Node }
  | { kind: 'compare'; op: string; path: string[]; value: Literal }
  | { kind: 'method'; method: string; path: string[]; value: Literal }
  | { kind: 'field'; path: string[] };

type Token = { type: 'ident' | 'string' | 'number' | 'op' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      let text = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        text += input[i++];
      }
      if (input[i] !== '"') throw new WhereClauseError('Unterminated string in where clause');
      i++;
      tokens.push({ type: 'string', text });
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(input[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i));
      if (!match) throw new WhereClauseError(`Unexpected "${ch}" in where clause`);
      tokens.push({ type: 'number', text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(input.slice(i));
      const text = match ? match[0] : ch;
      tokens.push({ type: 'ident', text });
      i += text.length;
    } else {
      const two = input.slice(i, i + 2);
      if (['==', '!=', '>=', '<=', '&&', '||'].includes(two)) {
        tokens.push({ type: 'op', text: two });
        i += 2;
      } else if (['<', '>', '!'].includes(ch)) {
        tokens.push({ type: 'op', text: ch });
        i++;
      } else if (['(', ')', ','].includes(ch)) {
        tokens.push({ type: 'punct', text: ch });
        i++;
      } else {
        throw new WhereClauseError(`Unexpected "${ch}" in where clause`);
      }
    }
  }
  return tokens;
}

const METHODS = ['contains', 'startswith', 'endswith'];

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): Node {
    const node = this.or();
    if (this.pos < this.tokens.length) throw new WhereClauseError(`Unexpected "${this.tokens[this.pos].text}" in where clause`);
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private next(): Token {
    const token = this.tokens[this.pos++];
    if (!token) throw new WhereClauseError('Where clause ended unexpectedly');
    return token;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new WhereClauseError(`Expected "${text}" but found "${token.text}"`);
  }

  private isKeyword(token: Token | undefined, ...words: string[]): boolean {
    return !!token && ((token.type === 'op' && words.includes(token.text)) || (token.type === 'ident' && words.includes(token.text.toUpperCase())));
  }

  private or(): Node {
    let left = this.and();
    while (this.isKeyword(this.peek(), '||', 'OR')) {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Node {
    let left = this.unary();
    while (this.isKeyword(this.peek(), '&&', 'AND')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Node {
    const token = this.peek();
    if (token?.type === 'op' && token.text === '!') {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    if (token?.type === 'ident' && token.text.toUpperCase() === 'NOT') {
      this.pos++;
      return { kind: 'not', operand: this.unary() };
    }
    if (token?.type === 'punct' && token.text === '(') {
      this.pos++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const token = this.next();
    if (token.type !== 'ident') throw new WhereClauseError(`Expected a field name but found "${token.text}"`);
    const segments = token.text.split('.');
    const last = segments[segments.length - 1].toLowerCase();
    if (segments.length > 1 && METHODS.includes(last) && this.peek()?.text === '(') {
      this.expect('(');
      const value = this.literal();
      this.expect(')');
      return { kind: 'method', method: last, path: segments.slice(0, -1), value };
    }
    const op = this.peek();
    if (op?.type === 'op' && ['==', '!=', '>=', '<=', '<', '>'].includes(op.text)) {
      this.pos++;
      return { kind: 'compare', op: op.text, path: segments, value: this.literal() };
    }
    return { kind: 'field', path: segments };
  }

  private literal(): Literal {
    const token = this.next();
    if (token.type === 'string') return { kind: 'literal', value: token.text, type: 'string' };
    if (token.type === 'number') return { kind: 'literal', value: Number(token.text), type: 'number' };
    if (token.type !== 'ident') throw new WhereClauseError(`Expected a value but found "${token.text}"`);
    const word = token.text.toLowerCase();
    if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', type: 'boolean' };
    if (word === 'null') return { kind: 'literal', value: null, type: 'null' };
    if (word === 'guid') {
      this.expect('(');
      const value = this.next();
      if (value.type !== 'string') throw new WhereClauseError('guid() takes a quoted value');
      this.expect(')');
      return { kind: 'literal', value: value.text.toLowerCase(), type: 'guid' };
    }
    if (word === 'datetime') {
      this.expect('(');
      const parts: number[] = [];
      for (;;) {
        const part = this.next();
        if (part.type !== 'number') throw new WhereClauseError('DateTime() takes numbers');
        parts.push(Number(part.text));
        const sep = this.next();
        if (sep.text === ')') break;
        if (sep.text !== ',') throw new WhereClauseError('DateTime() arguments are separated by commas');
      }
      const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0] = parts;
      return { kind: 'literal', value: Date.UTC(year, month - 1, day, hour, minute, second), type: 'date' };
    }
    throw new WhereClauseError(`Unknown value "${token.text}" in where clause`);
  }
}

function resolve(record: unknown, path: string[]): unknown {
  let current: unknown = record;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment.toLowerCase());
    current = key === undefined ? undefined : (current as Record<string, unknown>)[key];
  }
  return current;
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function asComparable(actual: unknown, literal: Literal): string | number | boolean | null | undefined {
  if (actual === undefined || actual === null) return actual as null | undefined;
  switch (literal.type) {
    case 'date': {
      if (typeof actual === 'number') return actual;
      const ms = MS_DATE.exec(String(actual));
      if (ms) return Number(ms[1]);
      const parsed = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(String(actual)) ? String(actual) : `${actual}Z`);
      return Number.isNaN(parsed) ? undefined : parsed;
    }
    case 'number':
      return typeof actual === 'number' ? actual : Number(actual);
    case 'boolean':
      return typeof actual === 'boolean' ? actual : String(actual).toLowerCase() === 'true';
    default:
      return String(actual).toLowerCase();
  }
}

function compare(op: string, actual: unknown, literal: Literal): boolean {
  if (literal.type === 'null') {
    const isNull = actual === undefined || actual === null || actual === '';
    return op === '==' ? isNull : op === '!=' ? !isNull : false;
  }
  const left = asComparable(actual, literal);
  const right = typeof literal.value === 'string' ? literal.value.toLowerCase() : literal.value;
  if (left === undefined || left === null) return op === '!=';
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    case '>':
      return (left as number) > (right as number);
    case '<':
      return (left as number) < (right as number);
    case '>=':
      return (left as number) >= (right as number);
    default:
      return (left as number) <= (right as number);
  }
}

function evaluate(node: Node, record: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, record) && evaluate(node.right, record);
    case 'or':
      return evaluate(node.left, record) || evaluate(node.right, record);
    case 'not':
      return !evaluate(node.operand, record);
    case 'field':
      return resolve(record, node.path) === true;
    case 'method': {
      const actual = resolve(record, node.path);
      if (typeof actual !== 'string') return false;
      const haystack = actual.toLowerCase();
      const needle = String(node.value.value).toLowerCase();
      if (node.method === 'contains') return haystack.includes(needle);
      if (node.method === 'startswith') return haystack.startsWith(needle);
      return haystack.endsWith(needle);
    }
    case 'compare':
      return compare(node.op, resolve(record, node.path), node.value);
  }
}

export type WherePredicate = (record: unknown) => boolean;

export function parseWhere(clause: string): WherePredicate {
  const ast = new Parser(tokenize(clause)).parse();
  return (record) => evaluate(ast, record);
}
