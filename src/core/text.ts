// Text read from users' files: a UTF-8 BOM is dropped, and file content quoted in a message is
// shortened and escaped so that binary garbage never floods the terminal.

/** `text` without a leading UTF-8 byte-order mark (editors on Windows write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Where `text` (decoded as UTF-8) shows it is not text: the index of the first NUL or undecodable
 * byte (U+FFFD), else -1.
 */
export function binaryAt(text: string): number {
  const found = [text.indexOf('\u0000'), text.indexOf('\ufffd')].filter((i) => i >= 0);
  return found.length ? Math.min(...found) : -1;
}

/**
 * File content for a message: control characters (but tab) and invisible ones escaped (\x00, \u{fffd}),
 * at most `max` characters, with an ellipsis when cut.
 */
export function quoted(text: string, max = 60): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const printable =
      code === 0x09 ||
      (code >= 0x20 && code < 0x7f) ||
      (code >= 0xa0 && code !== 0xfffd && code !== 0xfeff && !(code >= 0x2000 && code <= 0x200f) && !(code >= 0x2028 && code <= 0x202e));
    const piece = printable ? ch : code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    if (out.length + piece.length > max) return `${out}…`;
    out += piece;
  }
  return out;
}
