// A minimal Python pickle reader for the structures the datasets use: tuples, lists and dicts of
// byte strings, booleans, ints, str, None, and numpy arrays of plain dtypes (the CIFAR python
// batches). Protocols 0-5, opcodes for those types only; the only callables are the few that
// rebuild bytes and numpy arrays (`_codecs.encode`, `bytes`, numpy's `_reconstruct`, `dtype`,
// `_frombuffer`). Anything else (other classes, object arrays) is rejected with the opcode and its
// offset, so a pickle never runs code.
import { corruptFile } from './fileio.js';

export type PickleValue = Buffer | boolean | number | string | null | PickleValue[] | PickleTuple | PickleDict | PickleArray | PickleDtype | PickleGlobal;

/** A Python tuple (kept distinct from a list). */
export class PickleTuple {
  constructor(readonly items: PickleValue[]) {}
}

/** A Python dict; byte-string keys (Python 2 str) become latin1 strings, int keys decimal strings. */
export class PickleDict {
  readonly map = new Map<string, PickleValue>();
  get(key: string): PickleValue | undefined {
    return this.map.get(key);
  }
}

/** A numpy dtype: its type string ('u1', 'i8', 'f4', ...) and byte order ('|', '<', '>', '='). */
export class PickleDtype {
  byteOrder = '|';
  constructor(readonly type: string) {}
}

/** A numpy array: raw data bytes as stored, the shape, and the dtype. */
export class PickleArray {
  shape: number[] = [];
  dtype: PickleDtype | null = null;
  fortranOrder = false;
  data: Buffer = Buffer.alloc(0);
}

/** One of the allowed globals (a callable or class). */
export class PickleGlobal {
  constructor(readonly name: 'codecs.encode' | 'bytes' | 'numpy.reconstruct' | 'numpy.ndarray' | 'numpy.dtype' | 'numpy.frombuffer') {}
}

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

const NUMPY_MODULES = /^numpy\.(_?core)\.(multiarray|numeric)$/;

function dictKey(key: PickleValue, file: string, at: number): string {
  if (Buffer.isBuffer(key)) return key.toString('latin1');
  if (typeof key === 'string') return key;
  if (typeof key === 'number') return String(key);
  throw corruptFile(file, { offset: at }, 'unsupported dict key type (only str, bytes and int keys are read)');
}

/** Reads one pickled object from `buf`; `file` names the source in errors. */
export function readPickle(buf: Buffer, file: string): PickleValue {
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
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
  const global = (module: string, name: string, at: number): PickleGlobal => {
    if (module === '_codecs' && name === 'encode') return new PickleGlobal('codecs.encode');
    if ((module === '__builtin__' || module === 'builtins') && name === 'bytes') return new PickleGlobal('bytes');
    if (NUMPY_MODULES.test(module) && name === '_reconstruct') return new PickleGlobal('numpy.reconstruct');
    if (NUMPY_MODULES.test(module) && name === '_frombuffer') return new PickleGlobal('numpy.frombuffer');
    if (module === 'numpy' && name === 'ndarray') return new PickleGlobal('numpy.ndarray');
    if (module === 'numpy' && name === 'dtype') return new PickleGlobal('numpy.dtype');
    throw corruptFile(file, { offset: at }, `unsupported pickle global ${module}.${name}: this reader handles lists, tuples, dicts, bytes, numbers and numpy arrays only`, 'convert the file to one of the documented formats');
  };
  const pop = (at: number): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw corruptFile(file, { offset: at }, 'pickle stack underflow');
    return v;
  };
  const popMark = (at: number): PickleValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw corruptFile(file, { offset: at }, 'pickle MARK missing');
    return stack.splice(i).slice(1) as PickleValue[];
  };
  const top = (at: number): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw corruptFile(file, { offset: at }, 'pickle stack underflow');
    return v;
  };
  const listAt = (at: number): PickleValue[] => {
    const v = stack[stack.length - 1];
    if (!Array.isArray(v)) throw corruptFile(file, { offset: at }, 'APPEND onto something that is not a list');
    return v;
  };
  const dictAt = (at: number): PickleDict => {
    const v = stack[stack.length - 1];
    if (!(v instanceof PickleDict)) throw corruptFile(file, { offset: at }, 'SETITEM onto something that is not a dict');
    return v;
  };
  const setItems = (dict: PickleDict, items: PickleValue[], at: number): void => {
    if (items.length % 2) throw corruptFile(file, { offset: at }, 'odd number of items for a dict');
    for (let k = 0; k < items.length; k += 2) dict.map.set(dictKey(items[k]!, file, at), items[k + 1]!);
  };
  const reduce = (fn: PickleValue, args: PickleValue, at: number): PickleValue => {
    const a = args instanceof PickleTuple ? args.items : null;
    const kind = fn instanceof PickleGlobal ? fn.name : null;
    if (kind === 'bytes' && a && a.length === 0) return Buffer.alloc(0);
    if (kind === 'codecs.encode' && a && typeof a[0] === 'string' && a[1] === 'latin1') return Buffer.from(a[0], 'latin1');
    if (kind === 'numpy.reconstruct' && a && a[0] instanceof PickleGlobal && a[0].name === 'numpy.ndarray') return new PickleArray();
    if (kind === 'numpy.dtype' && a && (typeof a[0] === 'string' || Buffer.isBuffer(a[0]))) return new PickleDtype(a[0].toString());
    if (kind === 'numpy.frombuffer' && a && Buffer.isBuffer(a[0]) && a[1] instanceof PickleDtype && a[2] instanceof PickleTuple) {
      const array = new PickleArray();
      array.data = a[0];
      array.dtype = a[1];
      array.shape = shapeOf(a[2], at);
      array.fortranOrder = a[3] === 'F' || (Buffer.isBuffer(a[3]) && a[3].toString() === 'F');
      return array;
    }
    throw corruptFile(file, { offset: at }, `unsupported pickle REDUCE${kind ? ` of ${kind}` : ''} with these arguments`);
  };
  const shapeOf = (t: PickleValue, at: number): number[] => {
    if (!(t instanceof PickleTuple) || !t.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw corruptFile(file, { offset: at }, 'numpy array shape is not a tuple of sizes');
    return t.items as number[];
  };
  /** BUILD: numpy's __setstate__ of an array (version, shape, dtype, fortran, data) or a dtype (version, byte order, ...). */
  const build = (obj: PickleValue, state: PickleValue, at: number): void => {
    const s = state instanceof PickleTuple ? state.items : null;
    if (obj instanceof PickleDtype && s && (typeof s[1] === 'string' || Buffer.isBuffer(s[1]))) {
      obj.byteOrder = s[1].toString();
      return;
    }
    if (obj instanceof PickleArray && s && s.length === 5 && s[2] instanceof PickleDtype) {
      obj.shape = shapeOf(s[1]!, at);
      obj.dtype = s[2];
      obj.fortranOrder = s[3] === true || s[3] === 1;
      if (!Buffer.isBuffer(s[4])) throw corruptFile(file, { offset: at }, 'numpy array data is not a byte string (object arrays are not read)');
      obj.data = s[4];
      return;
    }
    throw corruptFile(file, { offset: at }, 'unsupported pickle BUILD (only numpy arrays and dtypes are rebuilt)');
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
      case 0x52: { // REDUCE 'R': only the allowed globals (see PickleGlobal)
        const args = pop(at);
        stack.push(reduce(pop(at), args, at));
        break;
      }
      case 0x62: { // BUILD 'b'
        const state = pop(at);
        build(top(at), state, at);
        break;
      }
      case 0x7d: // EMPTY_DICT '}'
        stack.push(new PickleDict());
        break;
      case 0x64: { // DICT 'd'
        const dict = new PickleDict();
        setItems(dict, popMark(at), at);
        stack.push(dict);
        break;
      }
      case 0x73: { // SETITEM 's'
        const v = pop(at);
        const k = pop(at);
        setItems(dictAt(at), [k, v], at);
        break;
      }
      case 0x75: { // SETITEMS 'u'
        const items = popMark(at);
        setItems(dictAt(at), items, at);
        break;
      }
      case 0x8a: { // LONG1: little-endian two's complement of n bytes
        const n = u8(at);
        if (n > 6) throw corruptFile(file, { offset: at }, `integer of ${n} bytes is too large`);
        const b = bytes(n, at);
        stack.push(n === 0 ? 0 : b.readIntLE(0, n));
        break;
      }
      case 0x96: // BYTEARRAY8 (protocol 5)
        stack.push(Buffer.from(bytes(u64(at), at)));
        break;
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
        throw corruptFile(file, { offset: at }, `unsupported pickle opcode 0x${op.toString(16)} ('${String.fromCharCode(op)}'): this reader handles lists, tuples, dicts, bytes, numbers and numpy arrays only`, 'download the file again, or convert it to one of the documented formats');
    }
  }
}
