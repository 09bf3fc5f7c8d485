import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from './lines-config.js';

/** Written next to the built widget: which organisation key (if any) it carries. */
export const BUILD_INFO_FILE = 'build.json';

export interface BuildInfo {
  orgPublicKey: string | null;
}

/**
 * Refuse to serve a widget that would not check the operators this server certifies: one
 * built for the demo, before the key existed, or with another organisation's key.
 */
export async function checkBuildMatches(publicDir: string, orgPublicKey: string | null): Promise<void> {
  let info: BuildInfo;
  try {
    info = JSON.parse(await readFile(join(publicDir, BUILD_INFO_FILE), 'utf8')) as BuildInfo;
  } catch {
    throw new ConfigError(`${publicDir}: no ${BUILD_INFO_FILE}; run \`npm run build\``);
  }
  if (info.orgPublicKey !== orgPublicKey) {
    throw new ConfigError(
      `${publicDir}: the widget was built ${info.orgPublicKey ? 'with another organisation key' : 'without an organisation key'}; run \`npm run build\` again`,
    );
  }
}
