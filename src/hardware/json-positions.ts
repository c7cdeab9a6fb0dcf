// A small JSON parser that remembers where every value sits, so that a configuration error can name
// the file, line and column (issue 4: "exits 2 with the file, line and column").

export interface SourcePosition {
  line: number;
  column: number;
}

export interface PositionedJson {
  value: unknown;
  /** JSON pointer (as ajv's instancePath, e.g. `/gates/dff`) → position of the member's key or array element. */
  positions: Map<string, SourcePosition>;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Parses strict JSON (RFC 8259), recording positions; throws JsonSyntaxError with line and column. */
export function parseJsonWithPositions(text: string): PositionedJson {
  const positions = new Map<string, SourcePosition>();
  let i = 0;
  const positionAt = (offset: number): SourcePosition => {
    let line = 1;
    let column = 1;
    for (let j = 0; j < offset && j < text.length; j++) {
      if (text[j] === '\n') {
        line++;
        column = 1;
      } else column++;
    }
    return { line, column };
  };
  const fail = (message: string, offset = i): never => {
    throw new JsonSyntaxError(message, positionAt(offset));
  };
  const skip = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail(text[i] === undefined ? `expected '${ch}' but the file ended` : `expected '${ch}' but found '${text[i]}'`);
    i++;
  };
  const parseString = (): string => {
    const start = i;
    expect('"');
    let end = i;
    while (end < text.length && text[end] !== '"') {
      if (text[end] === '\\') end++;
      if (text[end] === '\n') fail('line break inside a string', end);
      end++;
    }
    if (end >= text.length) fail('unterminated string', start);
    i = end + 1;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('invalid escape in string', start);
    }
  };
  const parseValue = (pointer: string): unknown => {
    skip();
    const ch = text[i];
    if (ch === undefined) return fail('unexpected end of file');
    if (ch === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      skip();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        skip();
        const keyOffset = i;
        if (text[i] !== '"') fail(`expected a property name in double quotes but found '${text[i] ?? 'end of file'}'`);
        const key = parseString();
        const child = `${pointer}/${escapePointer(key)}`;
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`duplicate property '${key}'`, keyOffset);
        positions.set(child, positionAt(keyOffset));
        skip();
        expect(':');
        obj[key] = parseValue(child);
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect('}');
        return obj;
      }
    }
    if (ch === '[') {
      i++;
      const arr: unknown[] = [];
      skip();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        skip();
        const child = `${pointer}/${arr.length}`;
        positions.set(child, positionAt(i));
        arr.push(parseValue(child));
        skip();
        if (text[i] === ',') {
          i++;
          continue;
        }
        expect(']');
        return arr;
      }
    }
    if (ch === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!literal) return fail(`unexpected character '${ch}'`);
    i += literal[0].length;
    return JSON.parse(literal[0]) as unknown;
  };
  positions.set('', { line: 1, column: 1 });
  const value = parseValue('');
  skip();
  if (i < text.length) fail(`unexpected '${text[i]}' after the end of the JSON value`);
  return { value, positions };
}
