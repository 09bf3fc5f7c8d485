/**
 * ISO/IEC 7816-4 padding with exactly the rules of libsodium's `sodium.pad`/`sodium.unpad`,
 * for the noble primitives: a 0x80 byte, then zeros up to a multiple of the block size, so
 * that a message's length shows only as a number of blocks. A message already on a block
 * boundary gains a whole block.
 */
function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize <= 0) throw new Error('block size must be a positive integer');
}

export function isoPad(data: Uint8Array, blockSize: number): Uint8Array {
  checkBlockSize(blockSize);
  const padded = new Uint8Array(data.length + blockSize - (data.length % blockSize));
  padded.set(data);
  padded[data.length] = 0x80;
  return padded;
}

/**
 * Like libsodium, looks only at the last block: the marker is the last non-zero byte and must
 * lie there. The scan does not branch on the bytes it reads — they are decrypted plaintext.
 */
export function isoUnpad(padded: Uint8Array, blockSize: number): Uint8Array {
  checkBlockSize(blockSize);
  if (padded.length < blockSize) throw new Error('invalid padding');
  let after = 0; // every byte after the current one, OR-ed together: 0 while they are all zero
  let markerAt = 0; // distance of the 0x80 marker from the end
  let valid = 0;
  for (let i = 0; i < blockSize; i++) {
    const byte = padded[padded.length - 1 - i]!;
    // Bit 8 of (x - 1) is set only for x = 0 (as -1): both must hold for this to be the marker.
    const isMarker = (((after - 1) & ((byte ^ 0x80) - 1)) >> 8) & 1;
    after |= byte;
    markerAt |= i & -isMarker;
    valid |= isMarker;
  }
  if (!valid) throw new Error('invalid padding');
  return padded.slice(0, padded.length - 1 - markerAt);
}
