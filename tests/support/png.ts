// Decodes a PNG far enough to prove it is one: the signature, every chunk's CRC, the header, and
// the image data inflated to exactly the bytes its size and colour type call for.
import { crc32, inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** the chunk types in order, e.g. IHDR, IDAT, IEND */
  chunks: string[];
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** bytes per pixel by colour type, at 8 bits per sample */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let header: { width: number; height: number; depth: number; colour: number } | null = null;
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== png.readUInt32BE(at + 8 + length))
      throw new Error(`bad CRC in ${type}`);
    chunks.push(type);
    if (type === 'IHDR')
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8]!,
        colour: data[9]!,
      };
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  if (!header || chunks.at(-1) !== 'IEND') throw new Error('PNG without IHDR or IEND');
  const channels = CHANNELS[header.colour];
  if (header.depth !== 8 || !channels)
    throw new Error(`unexpected PNG format ${header.depth}/${header.colour}`);
  const pixels = inflateSync(Buffer.concat(idat));
  const expected = header.height * (1 + header.width * channels);
  if (pixels.length !== expected)
    throw new Error(`image data is ${pixels.length} bytes, expected ${expected}`);
  return { width: header.width, height: header.height, chunks };
}
