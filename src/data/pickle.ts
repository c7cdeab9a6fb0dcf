// A minimal Python pickle reader for the structures the datasets use: tuples and lists of byte
// strings, booleans, small ints, str, None (protocols 0-5 opcodes for those types only). Anything
// else (classes, numpy arrays, dicts) is rejected with the opcode and its offset.
import { corruptFile } from './fileio.js';

export type PickleValue = Buffer | boolean | number | string | null | PickleValue[] | PickleTuple;

/** A Python tuple (kept distinct from a list). */
export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

const MARK = Symbol('mark');
/** The callables allowed: `_codecs.encode` and `bytes`, which Python 3 uses for bytes at protocols 0-2. */
const CODECS_ENCODE = Symbol('_codecs.encode');
const BYTES = Symbol('bytes');
type Callable = typeof CODECS_ENCODE | typeof BYTES;
type StackItem = PickleValue | typeof MARK | Callable;

/** Reads one pickled object from `buf`; `file` names the source in errors. */
export function readPickle(buf: Buffer, file: string): PickleValue {
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue | Callable>();
  let pos = 0;
  const need = (n: number, at: number): void => {
    if (pos + n > buf.length) throw corruptFile(file, { offset: buf.length }, `short read: opcode at ${at} needs ${n} more bytes, the file ends`);
  };
  const u8 = (at: number): number => (need(1, at), buf[pos++]!);
  const u32 = (at: number): number => (need(4, at), (pos += 4), buf.readUInt32LE(pos - 4));
  const u64 = (at: number): number => {
    need(8, at);
    const v = buf.readBigUInt64LE(pos);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corruptFile(file, { offset: at }, 'length too large');
    return Number(v);
  };
  const bytes = (n: number, at: number): Buffer => (need(n, at), (pos += n), buf.subarray(pos - n, pos));
  const textLine = (at: number): string => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) throw corruptFile(file, { offset: buf.length }, `short read: opcode at ${at} has no newline-terminated argument`);
    const s = buf.toString('latin1', pos, end);
    pos = end + 1;
    return s;
  };
  const global = (module: string, name: string, at: number): Callable => {
    if (module === '_codecs' && name === 'encode') return CODECS_ENCODE;
    if ((module === '__builtin__' || module === 'builtins') && name === 'bytes') return BYTES;
    throw corruptFile(file, { offset: at }, `unsupported pickle global ${module}.${name}: this reader handles lists, tuples, bytes and booleans only`, 'convert the file to the insightface format (pickle of (list of JPEG bytes, list of bool))');
  };
  const pop = (at: number): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK || v === CODECS_ENCODE || v === BYTES) throw corruptFile(file, { offset: at }, 'pickle stack underflow');
    return v;
  };
  const popMark = (at: number): PickleValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw corruptFile(file, { offset: at }, 'pickle MARK missing');
    const items = stack.splice(i).slice(1);
    if (items.includes(CODECS_ENCODE) || items.includes(BYTES)) throw corruptFile(file, { offset: at }, 'a callable inside a list or tuple');
    return items as PickleValue[];
  };
  const top = (at: number): PickleValue | Callable => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw corruptFile(file, { offset: at }, 'pickle stack underflow');
    return v;
  };
  const listAt = (at: number): PickleValue[] => {
    const v = stack[stack.length - 1];
    if (!Array.isArray(v)) throw corruptFile(file, { offset: at }, 'APPEND onto something that is not a list');
    return v;
  };

  for (;;) {
    const at = pos;
    const op = u8(at);
    switch (op) {
      case 0x80: // PROTO
        u8(at);
        break;
      case 0x95: // FRAME (length ignored: we read the whole buffer)
        u64(at);
        break;
      case 0x2e: // STOP '.'
        if (stack.length !== 1) throw corruptFile(file, { offset: at }, `pickle STOP with ${stack.length} items on the stack`);
        return pop(at);
      case 0x28: // MARK '('
        stack.push(MARK);
        break;
      case 0x5d: // EMPTY_LIST ']'
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE ')'
        stack.push(new PickleTuple([]));
        break;
      case 0x6c: // LIST 'l'
        stack.push(popMark(at));
        break;
      case 0x74: // TUPLE 't'
        stack.push(new PickleTuple(popMark(at)));
        break;
      case 0x85: // TUPLE1
        stack.push(new PickleTuple([pop(at)]));
        break;
      case 0x86: { // TUPLE2
        const b = pop(at);
        stack.push(new PickleTuple([pop(at), b]));
        break;
      }
      case 0x87: { // TUPLE3
        const c = pop(at);
        const b = pop(at);
        stack.push(new PickleTuple([pop(at), b, c]));
        break;
      }
      case 0x61: { // APPEND 'a'
        const v = pop(at);
        listAt(at).push(v);
        break;
      }
      case 0x65: { // APPENDS 'e'
        const items = popMark(at);
        listAt(at).push(...items);
        break;
      }
      case 0x55: // SHORT_BINSTRING 'U' (Python 2 str)
      case 0x43: // SHORT_BINBYTES 'C'
        stack.push(Buffer.from(bytes(u8(at), at)));
        break;
      case 0x54: // BINSTRING 'T' (Python 2 str)
      case 0x42: // BINBYTES 'B'
        stack.push(Buffer.from(bytes(u32(at), at)));
        break;
      case 0x8e: // BINBYTES8
        stack.push(Buffer.from(bytes(u64(at), at)));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(bytes(u8(at), at).toString('utf8'));
        break;
      case 0x56: // UNICODE 'V' (protocol 0, raw-unicode-escape)
        stack.push(textLine(at).replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))));
        break;
      case 0x58: // BINUNICODE 'X'
        stack.push(bytes(u32(at), at).toString('utf8'));
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4e: // NONE 'N'
        stack.push(null);
        break;
      case 0x4b: // BININT1 'K'
        stack.push(u8(at));
        break;
      case 0x4d: // BININT2 'M'
        need(2, at);
        stack.push(buf.readUInt16LE(pos));
        pos += 2;
        break;
      case 0x4a: // BININT 'J'
        need(4, at);
        stack.push(buf.readInt32LE(pos));
        pos += 4;
        break;
      case 0x49: { // INT 'I' (protocol 0; I01 / I00 are True / False)
        const s = textLine(at);
        if (s === '01') stack.push(true);
        else if (s === '00') stack.push(false);
        else if (/^-?\d+$/.test(s)) stack.push(Number(s));
        else throw corruptFile(file, { offset: at }, `bad INT argument '${s}'`);
        break;
      }
      case 0x63: // GLOBAL 'c' module\nname\n
        stack.push(global(textLine(at), textLine(at), at));
        break;
      case 0x93: { // STACK_GLOBAL
        const name = pop(at);
        const module = pop(at);
        stack.push(global(String(module), String(name), at));
        break;
      }
      case 0x52: { // REDUCE 'R': only _codecs.encode(text, 'latin1'), i.e. bytes pickled by Python 3 at protocol <= 2
        const args = pop(at);
        const fn = stack.pop();
        if (fn === BYTES && args instanceof PickleTuple && args.items.length === 0) {
          stack.push(Buffer.alloc(0));
          break;
        }
        if (fn !== CODECS_ENCODE || !(args instanceof PickleTuple) || typeof args.items[0] !== 'string' || args.items[1] !== 'latin1') {
          throw corruptFile(file, { offset: at }, 'unsupported pickle REDUCE (only _codecs.encode(str, "latin1") is read)');
        }
        stack.push(Buffer.from(args.items[0], 'latin1'));
        break;
      }
      case 0x71: // BINPUT 'q'
        memo.set(u8(at), top(at));
        break;
      case 0x72: // LONG_BINPUT 'r'
        memo.set(u32(at), top(at));
        break;
      case 0x70: // PUT 'p'
        memo.set(Number(textLine(at)), top(at));
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top(at));
        break;
      case 0x67: // GET 'g' (protocol 0)
      case 0x68: // BINGET 'h'
      case 0x6a: { // LONG_BINGET 'j'
        const key = op === 0x67 ? Number(textLine(at)) : op === 0x68 ? u8(at) : u32(at);
        if (!memo.has(key)) throw corruptFile(file, { offset: at }, `pickle memo key ${key} was never stored`);
        stack.push(memo.get(key)!);
        break;
      }
      default:
        throw corruptFile(file, { offset: at }, `unsupported pickle opcode 0x${op.toString(16)} ('${String.fromCharCode(op)}'): this reader handles lists, tuples, bytes and booleans only`, 'convert the file to the insightface format (pickle of (list of JPEG bytes, list of bool)) or download it again');
    }
  }
}
