import { expect } from 'chai';
import type { Primitives } from '../../e2e/primitives.js';
import { nonCanonicalS, rfc8032Accepts, smallOrderRSignature, torsionRSignature } from './crafted-signatures.js';

/**
 * What every Primitives implementation must do: give libsodium's bytes and refuse what
 * libsodium refuses, so that a widget on one and a console on the other share one wire
 * format. Each implementation's test file calls primitivesContract() once; the case ids
 * ([PR1] …) stay stable so a failure on one can be matched with the same case on the other.
 *
 * The fixed vectors were made with libsodium-wrappers (and Ed25519's with RFC 8032 §7.1,
 * test 1); cross-implementation.test.ts compares the two implementations on random inputs.
 */
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytes = (hexText: string): Uint8Array => Uint8Array.from(Buffer.from(hexText, 'hex'));
const run = (length: number, start = 0): Uint8Array => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const KX = {
  clientSeed: run(32, 0),
  serverSeed: run(32, 32),
  client: {
    publicKey: '0e0216223f147143d32615a91189c288c1728cba3cc5f9f621b1026e03d83129',
    secretKey: 'cb2f5160fc1f7e05a55ef49d340b48da2e5a78099d53393351cd579dd42503d6',
  },
  server: {
    publicKey: '99f4674ecc87c0b8e712f192b8f49e7442a9376b4875967ababa28471019a93e',
    secretKey: '20f01c2c9470650a95375bb28254ac56fa844bf8d663a4ffb10273fca29481b9',
  },
  clientRx: '59f8af2a2061b2e35fd1cbfb708efd27a85c9924e6b83932e8a67c901a9998cb',
  clientTx: '17821f6861b0f9ac897981c01cca46b711a0afd09010d3694895333903865af2',
};

const AEAD = {
  key: run(32, 64),
  nonce: run(24, 96),
  additionalData: utf8('quietline/1|chat-1|v2o|1'),
  message: utf8('{"t":"text","body":"Hallo, ik ben bang."}'),
  sealed:
    'ee5c87474930974e85c7155678a0b28f85059394b5008a2b8e43dba3fc703d67d026624f3cd5531f0f75edd0d477661540b8ec8145b44b3098',
};

const RFC8032_TEST1 = {
  seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
  publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  signature:
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
};

/** sodium.unpad's answers, block size and input → output, or null where it throws. */
const UNPAD_CASES: Array<[number, number[], number[] | null]> = [
  [4, [0x80, 0, 0, 0], []],
  [4, [1, 0x80, 0, 0], [1]],
  [4, [0x80, 0x80, 0, 0], [0x80]],
  [1, [0x80], []],
  [2, [1, 2, 0x80], [1, 2]], // not a whole number of blocks, but libsodium only reads the last block
  [2, [1, 0x80, 0, 0], null], // the marker is more than a block from the end
  [4, [5, 0x80, 0, 0, 0, 0], null],
  [4, [0, 0, 0, 0], null],
  [4, [1, 0x80, 0, 1], null],
  [4, [1, 2, 3, 4], null],
  [4, [0x80, 0], null], // shorter than a block
  [1, [], null],
  [1, [7], null],
];

function throws(fn: () => unknown): boolean {
  try {
    fn();
  } catch {
    return true;
  }
  return false;
}

export function primitivesContract(name: string, p: Primitives): void {
  describe(`Primitives contract: ${name}`, () => {
    before(() => p.ready());

    describe('random bytes', () => {
      it('[PR1] gives as many bytes as asked, different each time', () => {
        expect(p.randomBytes(24)).to.have.length(24);
        expect(p.randomBytes(0)).to.have.length(0);
        expect(hex(p.randomBytes(32))).to.not.equal(hex(p.randomBytes(32)));
      });
    });

    describe('base64', () => {
      it('[PR2] writes unpadded URL-safe base64, as libsodium does', () => {
        expect(p.toBase64(Uint8Array.of(0xfb, 0xff, 0xbf, 0x00, 0x10))).to.equal('-_-_ABA');
        expect(p.toBase64(run(40, 200))).to.equal('yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5ufo6err7O3u7w');
        expect(p.toBase64(new Uint8Array(0))).to.equal('');
      });

      it('[PR3] reads back what it wrote, at every length', () => {
        for (let length = 0; length <= 70; length++) {
          const data = p.randomBytes(length);
          expect(hex(p.fromBase64(p.toBase64(data)))).to.equal(hex(data));
        }
      });

      it('[PR4] refuses what libsodium refuses: padding, the other alphabet, spaces, a stray character, spare bits', () => {
        for (const text of ['AA==', '+/', 'AA AA', 'AA\n', 'A', 'AAAAA', 'AB', 'QR', 'AAA=', 'Zm9v☃', '!!!']) {
          expect(throws(() => p.fromBase64(text)), JSON.stringify(text)).to.equal(true);
        }
        expect(Array.from(p.fromBase64('QQ'))).to.deep.equal([65]);
        expect(Array.from(p.fromBase64(''))).to.deep.equal([]);
      });
    });

    describe('key exchange', () => {
      it('[PR5] derives the key pair libsodium derives from a seed', () => {
        const client = p.kxKeyPair(KX.clientSeed);
        expect({ publicKey: hex(client.publicKey), secretKey: hex(client.secretKey) }).to.deep.equal(KX.client);
        expect(hex(p.kxKeyPair(KX.serverSeed).publicKey)).to.equal(KX.server.publicKey);
      });

      it("[PR6] gives libsodium's session keys, the client's rx being the server's tx", () => {
        const client = p.kxKeyPair(KX.clientSeed);
        const server = p.kxKeyPair(KX.serverSeed);
        const ofClient = p.kxClientSessionKeys(client, server.publicKey);
        const ofServer = p.kxServerSessionKeys(server, client.publicKey);
        expect([hex(ofClient.rx), hex(ofClient.tx)]).to.deep.equal([KX.clientRx, KX.clientTx]);
        expect([hex(ofServer.tx), hex(ofServer.rx)]).to.deep.equal([KX.clientRx, KX.clientTx]);
      });

      it('[PR7] makes a fresh random pair each time, and two of them agree on their keys', () => {
        const client = p.kxKeyPair();
        const server = p.kxKeyPair();
        expect(client.publicKey).to.have.length(32);
        expect(client.secretKey).to.have.length(32);
        expect(hex(client.publicKey)).to.not.equal(hex(server.publicKey));
        expect(hex(p.kxClientSessionKeys(client, server.publicKey).tx)).to.equal(hex(p.kxServerSessionKeys(server, client.publicKey).rx));
      });

      it('[PR8] refuses a peer key of small order or of the wrong length, and a seed of the wrong length', () => {
        const own = p.kxKeyPair();
        const one = new Uint8Array(32);
        one[0] = 1;
        for (const peer of [new Uint8Array(32), one, new Uint8Array(31)]) {
          expect(throws(() => p.kxClientSessionKeys(own, peer))).to.equal(true);
          expect(throws(() => p.kxServerSessionKeys(own, peer))).to.equal(true);
        }
        expect(throws(() => p.kxKeyPair(new Uint8Array(16)))).to.equal(true);
      });
    });

    describe('XChaCha20-Poly1305', () => {
      it('[PR9] seals as libsodium does, ciphertext then tag, and opens it again', () => {
        const sealed = p.aeadEncrypt(AEAD.message, AEAD.additionalData, AEAD.nonce, AEAD.key);
        expect(hex(sealed)).to.equal(AEAD.sealed);
        expect(hex(p.aeadDecrypt(sealed, AEAD.additionalData, AEAD.nonce, AEAD.key))).to.equal(hex(AEAD.message));
      });

      it('[PR10] refuses a changed ciphertext, tag, nonce, associated data or key', () => {
        const sealed = bytes(AEAD.sealed);
        const flip = (data: Uint8Array, at: number) => {
          const copy = data.slice();
          copy[at]! ^= 1;
          return copy;
        };
        const { additionalData: ad, nonce, key } = AEAD;
        expect(throws(() => p.aeadDecrypt(flip(sealed, 0), ad, nonce, key))).to.equal(true);
        expect(throws(() => p.aeadDecrypt(flip(sealed, sealed.length - 1), ad, nonce, key))).to.equal(true);
        expect(throws(() => p.aeadDecrypt(sealed, ad, flip(nonce, 23), key))).to.equal(true);
        expect(throws(() => p.aeadDecrypt(sealed, flip(ad, 0), nonce, key))).to.equal(true);
        expect(throws(() => p.aeadDecrypt(sealed, ad, nonce, flip(key, 31)))).to.equal(true);
        expect(throws(() => p.aeadDecrypt(sealed.subarray(0, 15), ad, nonce, key))).to.equal(true);
      });

      it('[PR11] opens nonce and ciphertext given as views into one buffer at any offset, as the cipher passes them', () => {
        const wire = new Uint8Array(3 + 24 + AEAD.sealed.length / 2);
        wire.set(AEAD.nonce, 3);
        wire.set(bytes(AEAD.sealed), 27);
        const opened = p.aeadDecrypt(wire.subarray(27), AEAD.additionalData, wire.subarray(3, 27), AEAD.key);
        expect(hex(opened)).to.equal(hex(AEAD.message));
      });
    });

    describe('padding', () => {
      it('[PR12] pads with 0x80 then zeros to the next block, adding a whole block on a boundary', () => {
        const pad = (length: number) => Array.from(p.pad(run(length, 1), 4));
        expect(pad(0)).to.deep.equal([0x80, 0, 0, 0]);
        expect(pad(1)).to.deep.equal([1, 0x80, 0, 0]);
        expect(pad(3)).to.deep.equal([1, 2, 3, 0x80]);
        expect(pad(4)).to.deep.equal([1, 2, 3, 4, 0x80, 0, 0, 0]);
        expect(pad(5)).to.deep.equal([1, 2, 3, 4, 5, 0x80, 0, 0]);
        expect(p.pad(run(300), 256)).to.have.length(512);
      });

      it('[PR13] unpads what it padded, whatever the bytes', () => {
        for (const length of [0, 1, 127, 255, 256, 257, 1000]) {
          const data = p.randomBytes(length);
          expect(hex(p.unpad(p.pad(data, 256), 256))).to.equal(hex(data));
        }
      });

      it("[PR14] unpads by libsodium's rules, refusing what it refuses", () => {
        for (const [blockSize, input, expected] of UNPAD_CASES) {
          const label = `${JSON.stringify(input)} in blocks of ${blockSize}`;
          if (expected === null) expect(throws(() => p.unpad(Uint8Array.from(input), blockSize)), label).to.equal(true);
          else expect(Array.from(p.unpad(Uint8Array.from(input), blockSize)), label).to.deep.equal(expected);
        }
      });

      it('[PR15] refuses a block size that is not positive', () => {
        expect(throws(() => p.pad(run(3), 0))).to.equal(true);
        expect(throws(() => p.unpad(Uint8Array.of(0x80), 0))).to.equal(true);
      });
    });

    describe('Ed25519', () => {
      const message = utf8('quietline-chat-key/1\nchat-1\nQQQQ\n1790000000000');

      it('[PR16] derives RFC 8032 test 1 from its seed, in libsodium\'s 64-byte secret key form, and signs as it does', () => {
        const pair = p.signKeyPair(bytes(RFC8032_TEST1.seed));
        expect(hex(pair.publicKey)).to.equal(RFC8032_TEST1.publicKey);
        expect(hex(pair.secretKey)).to.equal(RFC8032_TEST1.seed + RFC8032_TEST1.publicKey);
        expect(hex(p.sign(new Uint8Array(0), pair.secretKey))).to.equal(RFC8032_TEST1.signature);
      });

      it('[PR17] makes fresh random pairs whose signatures verify under their own key only', () => {
        const a = p.signKeyPair();
        const b = p.signKeyPair();
        expect(a.secretKey).to.have.length(64);
        expect(hex(a.secretKey.subarray(32))).to.equal(hex(a.publicKey));
        expect(hex(a.publicKey)).to.not.equal(hex(b.publicKey));
        const signature = p.sign(message, a.secretKey);
        expect(p.verify(signature, message, a.publicKey)).to.equal(true);
        expect(p.verify(signature, message, b.publicKey)).to.equal(false);
        expect(p.verify(signature, utf8('another message'), a.publicKey)).to.equal(false);
        const changed = signature.slice();
        changed[10]! ^= 1;
        expect(p.verify(changed, message, a.publicKey)).to.equal(false);
      });

      it('[PR18] answers false, without throwing, for a signature or key of the wrong length', () => {
        const pair = p.signKeyPair();
        const signature = p.sign(message, pair.secretKey);
        expect(p.verify(signature.subarray(0, 63), message, pair.publicKey)).to.equal(false);
        expect(p.verify(signature, message, pair.publicKey.subarray(0, 31))).to.equal(false);
        expect(p.verify(new Uint8Array(0), message, new Uint8Array(0))).to.equal(false);
      });

      it('[PR19] refuses a small-order public key and a signature whose S is not reduced', () => {
        // The neutral point as key, R and S = 0: [0]B = R + [k]A holds for any message.
        const neutral = Uint8Array.of(1, ...new Uint8Array(31));
        const anything = Uint8Array.of(...neutral, ...new Uint8Array(32));
        expect(p.verify(anything, message, neutral)).to.equal(false);
        const pair = p.signKeyPair(run(32, 7));
        const signature = p.sign(message, pair.secretKey);
        expect(p.verify(nonCanonicalS(signature), message, pair.publicKey)).to.equal(false);
      });

      it('[PR20] refuses a signature with a small-order R, which RFC 8032 verification accepts', () => {
        const { publicKey, signature } = smallOrderRSignature(run(32, 9), message);
        expect(rfc8032Accepts(signature, message, publicKey), 'the crafted signature').to.equal(true);
        expect(p.verify(signature, message, publicKey)).to.equal(false);
      });

      it('[PR21] refuses a signature that holds only up to the cofactor, as libsodium checks without it', () => {
        const { publicKey, signature } = torsionRSignature(run(32, 11), message);
        expect(rfc8032Accepts(signature, message, publicKey), 'the crafted signature').to.equal(true);
        expect(p.verify(signature, message, publicKey)).to.equal(false);
      });

      it('[PR22] refuses to sign with a secret key that is not 64 bytes', () => {
        expect(throws(() => p.sign(message, run(32)))).to.equal(true);
      });
    });
  });
}
