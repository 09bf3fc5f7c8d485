/**
 * Unpadded URL-safe base64 exactly as libsodium's `to_base64`/`from_base64` (default variant)
 * write and read it, for code that must not load libsodium. Decoding is as strict as
 * libsodium's: only `A–Z a–z 0–9 - _`, no `=`, no whitespace, no length of 4n+1 and no
 * non-zero bits left over in the last character — so a key or signature has one spelling only.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      text += ALPHABET[(acc >> bits) & 0x3f];
    }
  }
  if (bits > 0) text += ALPHABET[(acc << (6 - bits)) & 0x3f];
  return text;
}

/** Throws on anything libsodium's `from_base64` would refuse. */
export function fromBase64Url(text: string): Uint8Array {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) throw new Error('invalid base64');
    acc = ((acc << 6) | value) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (acc >> bits) & 0xff;
    }
  }
  // Six bits left means a length of 4n+1; any set bit left over means a second spelling.
  if (bits > 4 || (acc & ((1 << bits) - 1)) !== 0) throw new Error('invalid base64');
  return out;
}
