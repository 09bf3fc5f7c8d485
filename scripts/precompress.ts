import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const COMPRESSIBLE = /\.(js|css|html|json|svg|txt)$/;

/**
 * Writes `<file>.br` (brotli at its best quality) and `<file>.gz` beside every text file
 * under `dir`, once at build time, so the server never compresses per request. Returns how
 * many files it compressed.
 */
export async function precompress(dir: string): Promise<number> {
  const files = (await readdir(dir, { recursive: true, encoding: 'utf8' })).filter((f) => COMPRESSIBLE.test(f));
  await Promise.all(
    files.map(async (file) => {
      const path = join(dir, file);
      const data = await readFile(path);
      const [br, gzipped] = await Promise.all([
        brotli(data, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
        gz(data, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gzipped)]);
    }),
  );
  return files.length;
}
