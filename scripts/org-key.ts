/**
 * The organisation's signing key: `npm run org-key -- create`.
 *
 * Writes the public key to config/org-public-key.txt (or QUIETLINE_ORG_PUBLIC_KEY), which
 * the server and the widget build read, and the secret key to
 * config/org-signing-key.secret (or QUIETLINE_ORG_SECRET_KEY), readable by its owner only.
 * Move the secret key offline once the operators are certified: whoever holds it can make
 * operators the widget trusts. Refuses to overwrite either file.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { newSigningKeyPair, readyIdentity } from '../identity/certificates.js';

export const DEFAULT_ORG_SECRET_KEY = 'config/org-signing-key.secret';

async function main(): Promise<void> {
  const [command] = process.argv.slice(2);
  if (command !== 'create') throw new Error('usage: npm run org-key -- create');
  const publicPath = process.env.QUIETLINE_ORG_PUBLIC_KEY ?? 'config/org-public-key.txt';
  const secretPath = process.env.QUIETLINE_ORG_SECRET_KEY ?? DEFAULT_ORG_SECRET_KEY;
  for (const path of [publicPath, secretPath]) {
    if (existsSync(path)) throw new Error(`${path} exists already; an organisation keeps one key (move it away to replace it)`);
  }
  await readyIdentity();
  const pair = newSigningKeyPair();
  for (const path of [publicPath, secretPath]) await mkdir(dirname(path), { recursive: true });
  await writeFile(secretPath, `${pair.secretKey}\n`, { mode: 0o600, flag: 'wx' });
  await writeFile(publicPath, `${pair.publicKey}\n`, { flag: 'wx' });
  process.stdout.write(
    `organisation public key: ${publicPath}\nsecret signing key:      ${secretPath} (certify operators, then keep it offline)\n` +
      'Rebuild (npm run build) so the widget carries the new public key.\n',
  );
}

main().catch((error) => {
  process.stderr.write(`org-key: ${(error as Error).message}\n`);
  process.exit(2);
});
