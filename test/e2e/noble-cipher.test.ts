import { expect } from 'chai';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('The noble entry points', function () {
  this.timeout(30_000);

  it('bundle without libsodium: the widget may import noble-cipher.ts and noble-certificates.ts freely', async () => {
    const result = await build({
      stdin: {
        contents: [
          "export { ChatCipher, readyCrypto } from './e2e/noble-cipher.ts';",
          "export { checkChatKey, checkCertificate, readyIdentity } from './identity/noble-certificates.ts';",
        ].join('\n'),
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => /libsodium/.test(input))).to.deep.equal([]);
    expect(inputs.some((input) => input.includes('node_modules/@noble/curves'))).to.equal(true);
  });
});
