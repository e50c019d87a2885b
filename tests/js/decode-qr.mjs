// Decodes the QR code in a PNG file with jsQR, an implementation independent of the one that drew it,
// and prints its text. Exit 1 with a message when no code is found.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import jsQR from 'jsqr';

const file = process.argv[2];
if (!file) {
  console.error('usage: node decode-qr.mjs FILE.png');
  process.exit(2);
}
const png = PNG.sync.read(readFileSync(file));
const result = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
if (!result) {
  console.error(`no QR code found in ${file}`);
  process.exit(1);
}
process.stdout.write(result.data);
