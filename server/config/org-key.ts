import { readFile } from 'node:fs/promises';
import { ConfigError } from './lines-config.js';

/**
 * The organisation's public key (written by `npm run org-key -- create`): one line of
 * unpadded URL-safe base64, 32 bytes. Null when the file does not exist.
 */
export async function readOrgPublicKey(path: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const key = text.trim();
  if (!/^[A-Za-z0-9_-]{43}$/.test(key)) throw new ConfigError(`${path}: not an organisation public key (43 characters of base64url)`);
  return key;
}
