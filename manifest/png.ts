/** Reads a PNG's pixel size from its header, so icon sizes can be checked without decoding. */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height of a PNG image, in pixels. */
export interface PngSize {
  width: number;
  height: number;
}

/**
 * The size recorded in the IHDR chunk, which the PNG format requires to come first.
 * Throws when the bytes are not a PNG, so a renamed JPEG cannot pass as an icon.
 */
export function pngSize(bytes: Buffer): PngSize {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file (bad signature)');
  }

  if (bytes.toString('latin1', 12, 16) !== 'IHDR')
    throw new Error('not a PNG file (no IHDR first)');

  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
