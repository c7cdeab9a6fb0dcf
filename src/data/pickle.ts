// A minimal Python pickle reader for the structures the datasets use: tuples, lists and dicts of
// byte strings, booleans, ints, str, None, and numpy arrays of plain dtypes (the CIFAR python
// batches). Protocols 0-5, opcodes for those types only; the only callables are the few that
// rebuild bytes and numpy arrays (`_codecs.encode`, `bytes`, numpy's `_reconstruct`, `dtype`,
// `_frombuffer`). Anything else (other classes, object arrays) is rejected with the opcode and its
// offset, so a pickle never runs code.
import { corruptFile } from './fileio.js';
import { quoted } from '../core/text.js';

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
  const m = new PickleMachine(buf, file);
  for (;;) {
    const at = m.pos;
    const op = m.u8(at);
    if (op === STOP) {
      if (m.stack.length !== 1) throw m.error(at, `pickle STOP with ${m.stack.length} items on the stack`);
      return m.pop(at);
    }
    const run = OPCODES.get(op);
    if (!run) {
      throw corruptFile(
        file,
        { offset: at },
        `unsupported pickle opcode 0x${op.toString(16)} ('${quoted(String.fromCharCode(op))}'): this reader handles lists, tuples, dicts, bytes, numbers and numpy arrays only`,
        'download the file again, or convert it to one of the documented formats',
      );
    }
    run(m, at);
  }
}

/** The pickle virtual machine's state: the input and its read position, the stack and the memo. */
class PickleMachine {
  pos = 0;
  readonly stack: StackItem[] = [];
  readonly memo = new Map<number, PickleValue>();
  constructor(
    readonly buf: Buffer,
    readonly file: string,
  ) {}

  error(at: number, message: string): Error {
    return corruptFile(this.file, { offset: at }, message);
  }

  need(n: number, at: number): void {
    if (this.pos + n > this.buf.length)
      throw corruptFile(this.file, { offset: this.buf.length }, `short read: opcode at ${at} needs ${n} more bytes, the file ends`);
  }

  u8(at: number): number {
    this.need(1, at);
    return this.buf[this.pos++]!;
  }

  u32(at: number): number {
    this.need(4, at);
    this.pos += 4;
    return this.buf.readUInt32LE(this.pos - 4);
  }

  u64(at: number): number {
    this.need(8, at);
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.error(at, 'length too large');
    return Number(v);
  }

  bytes(n: number, at: number): Buffer {
    this.need(n, at);
    this.pos += n;
    return this.buf.subarray(this.pos - n, this.pos);
  }

  textLine(at: number): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) throw corruptFile(this.file, { offset: this.buf.length }, `short read: opcode at ${at} has no newline-terminated argument`);
    const s = this.buf.toString('latin1', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  push(v: StackItem): void {
    this.stack.push(v);
  }

  pop(at: number): PickleValue {
    const v = this.stack.pop();
    if (v === undefined || v === MARK) throw this.error(at, 'pickle stack underflow');
    return v;
  }

  /** The items above the topmost MARK, which is removed with them. */
  popMark(at: number): PickleValue[] {
    const i = this.stack.lastIndexOf(MARK);
    if (i < 0) throw this.error(at, 'pickle MARK missing');
    return this.stack.splice(i).slice(1) as PickleValue[];
  }

  top(at: number): PickleValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) throw this.error(at, 'pickle stack underflow');
    return v;
  }

  listAt(at: number): PickleValue[] {
    const v = this.stack[this.stack.length - 1];
    if (!Array.isArray(v)) throw this.error(at, 'APPEND onto something that is not a list');
    return v;
  }

  dictAt(at: number): PickleDict {
    const v = this.stack[this.stack.length - 1];
    if (!(v instanceof PickleDict)) throw this.error(at, 'SETITEM onto something that is not a dict');
    return v;
  }

  setItems(dict: PickleDict, items: PickleValue[], at: number): void {
    if (items.length % 2) throw this.error(at, 'odd number of items for a dict');
    for (let k = 0; k < items.length; k += 2) dict.map.set(dictKey(items[k]!, this.file, at), items[k + 1]!);
  }

  memoGet(key: number, at: number): PickleValue {
    if (!this.memo.has(key)) throw this.error(at, `pickle memo key ${key} was never stored`);
    return this.memo.get(key)!;
  }
}

/** One of the allowed globals; anything else is refused (a pickle never runs code). */
function pickleGlobal(module: string, name: string, file: string, at: number): PickleGlobal {
  if (module === '_codecs' && name === 'encode') return new PickleGlobal('codecs.encode');
  if ((module === '__builtin__' || module === 'builtins') && name === 'bytes') return new PickleGlobal('bytes');
  if (NUMPY_MODULES.test(module) && name === '_reconstruct') return new PickleGlobal('numpy.reconstruct');
  if (NUMPY_MODULES.test(module) && name === '_frombuffer') return new PickleGlobal('numpy.frombuffer');
  if (module === 'numpy' && name === 'ndarray') return new PickleGlobal('numpy.ndarray');
  if (module === 'numpy' && name === 'dtype') return new PickleGlobal('numpy.dtype');
  throw corruptFile(
    file,
    { offset: at },
    `unsupported pickle global ${quoted(`${module}.${name}`)}: this reader handles lists, tuples, dicts, bytes, numbers and numpy arrays only`,
    'convert the file to one of the documented formats',
  );
}

function shapeOf(t: PickleValue, file: string, at: number): number[] {
  if (!(t instanceof PickleTuple) || !t.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0))
    throw corruptFile(file, { offset: at }, 'numpy array shape is not a tuple of sizes');
  return t.items as number[];
}

/** REDUCE: a call of one of the allowed globals with these arguments. */
function reduce(fn: PickleValue, args: PickleValue, file: string, at: number): PickleValue {
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
    array.shape = shapeOf(a[2], file, at);
    array.fortranOrder = a[3] === 'F' || (Buffer.isBuffer(a[3]) && a[3].toString() === 'F');
    return array;
  }
  throw corruptFile(file, { offset: at }, `unsupported pickle REDUCE${kind ? ` of ${kind}` : ''} with these arguments`);
}

/** BUILD: numpy's __setstate__ of an array (version, shape, dtype, fortran, data) or a dtype (version, byte order, ...). */
function build(obj: PickleValue, state: PickleValue, file: string, at: number): void {
  const s = state instanceof PickleTuple ? state.items : null;
  if (obj instanceof PickleDtype && s && (typeof s[1] === 'string' || Buffer.isBuffer(s[1]))) {
    obj.byteOrder = s[1].toString();
    return;
  }
  if (obj instanceof PickleArray && s && s.length === 5 && s[2] instanceof PickleDtype) {
    obj.shape = shapeOf(s[1]!, file, at);
    obj.dtype = s[2];
    obj.fortranOrder = s[3] === true || s[3] === 1;
    if (!Buffer.isBuffer(s[4])) throw corruptFile(file, { offset: at }, 'numpy array data is not a byte string (object arrays are not read)');
    obj.data = s[4];
    return;
  }
  throw corruptFile(file, { offset: at }, 'unsupported pickle BUILD (only numpy arrays and dtypes are rebuilt)');
}

/** STOP '.': handled by readPickle itself (it returns the result). */
const STOP = 0x2e;

type Opcode = (m: PickleMachine, at: number) => void;

/** Framing, stack structure, lists, tuples and dicts. */
const STRUCTURE_OPCODES: [number, Opcode][] = [
  [0x80, (m, at) => void m.u8(at)], // PROTO
  [0x95, (m, at) => void m.u64(at)], // FRAME (length ignored: we read the whole buffer)
  [0x28, (m) => m.push(MARK)], // MARK '('
  [0x5d, (m) => m.push([])], // EMPTY_LIST ']'
  [0x29, (m) => m.push(new PickleTuple([]))], // EMPTY_TUPLE ')'
  [0x6c, (m, at) => m.push(m.popMark(at))], // LIST 'l'
  [0x74, (m, at) => m.push(new PickleTuple(m.popMark(at)))], // TUPLE 't'
  [0x85, (m, at) => m.push(new PickleTuple([m.pop(at)]))], // TUPLE1
  [
    0x86, // TUPLE2
    (m, at) => {
      const b = m.pop(at);
      m.push(new PickleTuple([m.pop(at), b]));
    },
  ],
  [
    0x87, // TUPLE3
    (m, at) => {
      const c = m.pop(at);
      const b = m.pop(at);
      m.push(new PickleTuple([m.pop(at), b, c]));
    },
  ],
  [
    0x61, // APPEND 'a'
    (m, at) => {
      const v = m.pop(at);
      m.listAt(at).push(v);
    },
  ],
  [
    0x65, // APPENDS 'e'
    (m, at) => {
      const items = m.popMark(at);
      m.listAt(at).push(...items);
    },
  ],
  [0x7d, (m) => m.push(new PickleDict())], // EMPTY_DICT '}'
  [
    0x64, // DICT 'd'
    (m, at) => {
      const dict = new PickleDict();
      m.setItems(dict, m.popMark(at), at);
      m.push(dict);
    },
  ],
  [
    0x73, // SETITEM 's'
    (m, at) => {
      const v = m.pop(at);
      const k = m.pop(at);
      m.setItems(m.dictAt(at), [k, v], at);
    },
  ],
  [
    0x75, // SETITEMS 'u'
    (m, at) => {
      const items = m.popMark(at);
      m.setItems(m.dictAt(at), items, at);
    },
  ],
];

/** Byte strings, text, booleans, None and integers. */
const SCALAR_OPCODES: [number, Opcode][] = [
  [0x55, (m, at) => m.push(Buffer.from(m.bytes(m.u8(at), at)))], // SHORT_BINSTRING 'U' (Python 2 str)
  [0x43, (m, at) => m.push(Buffer.from(m.bytes(m.u8(at), at)))], // SHORT_BINBYTES 'C'
  [0x54, (m, at) => m.push(Buffer.from(m.bytes(m.u32(at), at)))], // BINSTRING 'T' (Python 2 str)
  [0x42, (m, at) => m.push(Buffer.from(m.bytes(m.u32(at), at)))], // BINBYTES 'B'
  [0x8e, (m, at) => m.push(Buffer.from(m.bytes(m.u64(at), at)))], // BINBYTES8
  [0x96, (m, at) => m.push(Buffer.from(m.bytes(m.u64(at), at)))], // BYTEARRAY8 (protocol 5)
  [0x8c, (m, at) => m.push(m.bytes(m.u8(at), at).toString('utf8'))], // SHORT_BINUNICODE
  // UNICODE 'V' (protocol 0, raw-unicode-escape)
  [0x56, (m, at) => m.push(m.textLine(at).replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))))],
  [0x58, (m, at) => m.push(m.bytes(m.u32(at), at).toString('utf8'))], // BINUNICODE 'X'
  [0x88, (m) => m.push(true)], // NEWTRUE
  [0x89, (m) => m.push(false)], // NEWFALSE
  [0x4e, (m) => m.push(null)], // NONE 'N'
  [0x4b, (m, at) => m.push(m.u8(at))], // BININT1 'K'
  [
    0x4d, // BININT2 'M'
    (m, at) => {
      m.need(2, at);
      m.push(m.buf.readUInt16LE(m.pos));
      m.pos += 2;
    },
  ],
  [
    0x4a, // BININT 'J'
    (m, at) => {
      m.need(4, at);
      m.push(m.buf.readInt32LE(m.pos));
      m.pos += 4;
    },
  ],
  [
    0x49, // INT 'I' (protocol 0; I01 / I00 are True / False)
    (m, at) => {
      const s = m.textLine(at);
      if (s === '01') m.push(true);
      else if (s === '00') m.push(false);
      else if (/^-?\d+$/.test(s)) m.push(Number(s));
      else throw m.error(at, `bad INT argument '${s}'`);
    },
  ],
  [
    0x8a, // LONG1: little-endian two's complement of n bytes
    (m, at) => {
      const n = m.u8(at);
      if (n > 6) throw m.error(at, `integer of ${n} bytes is too large`);
      const b = m.bytes(n, at);
      m.push(n === 0 ? 0 : b.readIntLE(0, n));
    },
  ],
];

/** The allowed globals, the calls of them (REDUCE) and numpy's state (BUILD). */
const OBJECT_OPCODES: [number, Opcode][] = [
  [0x63, (m, at) => m.push(pickleGlobal(m.textLine(at), m.textLine(at), m.file, at))], // GLOBAL 'c' module\nname\n
  [
    0x93, // STACK_GLOBAL
    (m, at) => {
      const name = m.pop(at);
      const module = m.pop(at);
      m.push(pickleGlobal(String(module), String(name), m.file, at));
    },
  ],
  [
    0x52, // REDUCE 'R': only the allowed globals (see PickleGlobal)
    (m, at) => {
      const args = m.pop(at);
      m.push(reduce(m.pop(at), args, m.file, at));
    },
  ],
  [
    0x62, // BUILD 'b'
    (m, at) => {
      const state = m.pop(at);
      build(m.top(at), state, m.file, at);
    },
  ],
];

/** The memo: PUT stores the top of the stack under a key, GET pushes it again. */
const MEMO_OPCODES: [number, Opcode][] = [
  [0x71, (m, at) => m.memo.set(m.u8(at), m.top(at))], // BINPUT 'q'
  [0x72, (m, at) => m.memo.set(m.u32(at), m.top(at))], // LONG_BINPUT 'r'
  [0x70, (m, at) => m.memo.set(Number(m.textLine(at)), m.top(at))], // PUT 'p'
  [0x94, (m, at) => m.memo.set(m.memo.size, m.top(at))], // MEMOIZE
  [0x67, (m, at) => m.push(m.memoGet(Number(m.textLine(at)), at))], // GET 'g' (protocol 0)
  [0x68, (m, at) => m.push(m.memoGet(m.u8(at), at))], // BINGET 'h'
  [0x6a, (m, at) => m.push(m.memoGet(m.u32(at), at))], // LONG_BINGET 'j'
];

const OPCODES = new Map<number, Opcode>([...STRUCTURE_OPCODES, ...SCALAR_OPCODES, ...OBJECT_OPCODES, ...MEMO_OPCODES]);
