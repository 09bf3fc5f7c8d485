import { expect } from 'chai';
import { ChatCipher as SodiumChatCipher } from '../../e2e/chat-cipher.js';
import type { ChatCipherFactory } from '../../e2e/cipher-core.js';
import { ChatCipher as NobleChatCipher } from '../../e2e/noble-cipher.js';
import { noblePrimitives as noble } from '../../e2e/noble-primitives.js';
import type { ChatPlaintext } from '../../e2e/plaintext.js';
import { sodiumPrimitives as sodium } from '../../e2e/sodium-primitives.js';
import { LIMITS } from '../../protocol/limits.js';

/**
 * The widget runs on noble, the console on libsodium: here the two meet. Each case draws fresh
 * random inputs and asks both implementations for the same bytes or the same refusal.
 */
const ROUNDS = 40;
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const text = (body: string): ChatPlaintext => ({ t: 'text', body });
const randomInt = (below: number): number => Math.floor(Math.random() * below);

/** What a call gives, as a comparable string: its bytes, its boolean, or that it threw. */
function outcome(fn: () => Uint8Array | boolean | string): string {
  try {
    const result = fn();
    return result instanceof Uint8Array ? hex(result) : String(result);
  } catch {
    return 'throws';
  }
}

async function chat(visitorSide: ChatCipherFactory, operatorSide: ChatCipherFactory, chatId: string) {
  const visitor = await visitorSide.create('visitor');
  const operator = await operatorSide.create('operator');
  visitor.establish(operator.publicKey, chatId);
  operator.establish(visitor.publicKey, chatId);
  return { visitor, operator };
}

describe('noble and libsodium together', () => {
  before(async () => {
    await sodium.ready();
    await noble.ready();
  });

  describe('through ChatCipher', () => {
    const pairings = [
      { name: 'a noble visitor and a libsodium operator', visitor: NobleChatCipher, operator: SodiumChatCipher },
      { name: 'a libsodium visitor and a noble operator', visitor: SodiumChatCipher, operator: NobleChatCipher },
    ];
    for (const pairing of pairings) {
      it(`lets ${pairing.name} talk both ways, in any script and up to the longest message`, async () => {
        const { visitor, operator } = await chat(pairing.visitor, pairing.operator, 'chat-7');
        const bodies = ['Hallo, ik ben bang.', '', 'Écoute — "ça va?"\n', 'Привет 你好 😀', 'é'.repeat(LIMITS.maxMessageChars)];
        for (const body of bodies) {
          const up = visitor.seal(text(body));
          expect(operator.open(up.seq, up.data)).to.deep.equal(text(body));
          const down = operator.seal(text(`re: ${body.slice(0, 100)}`));
          expect(visitor.open(down.seq, down.data)).to.deep.equal(text(`re: ${body.slice(0, 100)}`));
        }
        expect([visitor.lastReceived, operator.lastReceived]).to.deep.equal([bodies.length, bodies.length]);
      });

      it(`lets ${pairing.name} refuse each other's tampered, replayed and misdirected messages alike`, async () => {
        const { visitor, operator } = await chat(pairing.visitor, pairing.operator, 'chat-7');
        const sealed = visitor.seal(text('hallo'));
        const wire = Buffer.from(sealed.data, 'base64url');
        wire[30]! ^= 1;
        expect(() => operator.open(sealed.seq, wire.toString('base64url'))).to.throw('tampered');
        expect(() => visitor.open(sealed.seq, sealed.data)).to.throw('tampered'); // its own message back
        operator.open(sealed.seq, sealed.data);
        expect(() => operator.open(sealed.seq, sealed.data)).to.throw('replay');
      });
    }
  });

  describe('vector by vector', () => {
    it('derives the same X25519 key pair from the same seed', () => {
      for (let i = 0; i < ROUNDS; i++) {
        const seed = sodium.randomBytes(32);
        const a = sodium.kxKeyPair(seed);
        const b = noble.kxKeyPair(seed);
        expect([hex(b.publicKey), hex(b.secretKey)]).to.deep.equal([hex(a.publicKey), hex(a.secretKey)]);
      }
    });

    it('derives the same session keys from the same key pairs, on either side, whichever made the pairs', () => {
      for (let i = 0; i < ROUNDS; i++) {
        const client = (i % 2 ? noble : sodium).kxKeyPair();
        const server = (i % 2 ? sodium : noble).kxKeyPair();
        const keys = (p: typeof sodium) => {
          const c = p.kxClientSessionKeys(client, server.publicKey);
          const s = p.kxServerSessionKeys(server, client.publicKey);
          return [c.rx, c.tx, s.rx, s.tx].map(hex);
        };
        expect(keys(noble)).to.deep.equal(keys(sodium));
      }
    });

    it('seals to the same ciphertext from the same key, nonce, associated data and message, and each opens the other\'s', () => {
      for (const length of [0, 1, 15, 16, 17, 63, 64, 65, 255, 256, 1000, 4096]) {
        const [key, nonce, ad, message] = [32, 24, randomInt(80), length].map((n) => sodium.randomBytes(n)) as [
          Uint8Array,
          Uint8Array,
          Uint8Array,
          Uint8Array,
        ];
        const bySodium = sodium.aeadEncrypt(message, ad, nonce, key);
        expect(hex(noble.aeadEncrypt(message, ad, nonce, key)), `length ${length}`).to.equal(hex(bySodium));
        expect(hex(noble.aeadDecrypt(bySodium, ad, nonce, key))).to.equal(hex(message));
        expect(hex(sodium.aeadDecrypt(noble.aeadEncrypt(message, ad, nonce, key), ad, nonce, key))).to.equal(hex(message));
      }
    });

    it('pads the same, and unpads the same or refuses alike, even on random bytes', () => {
      for (let i = 0; i < 20 * ROUNDS; i++) {
        const blockSize = 1 + randomInt(i % 2 ? 8 : 300);
        const data = sodium.randomBytes(randomInt(600));
        expect(hex(noble.pad(data, blockSize))).to.equal(hex(sodium.pad(data, blockSize)));
        // Mostly zeros with a sprinkling of 0x80 and other bytes, so that both outcomes occur.
        const junk = Uint8Array.from({ length: randomInt(12) }, () => [0, 0, 0, 0x80, randomInt(256)][randomInt(5)]!);
        const size = 1 + randomInt(6);
        expect(outcome(() => noble.unpad(junk, size)), `${hex(junk)} / ${size}`).to.equal(outcome(() => sodium.unpad(junk, size)));
      }
    });

    it('writes the same base64, and reads or refuses the same strings', () => {
      const alphabet = 'AQgw_-+/= \n.';
      for (let i = 0; i < 20 * ROUNDS; i++) {
        const data = sodium.randomBytes(randomInt(70));
        expect(noble.toBase64(data)).to.equal(sodium.toBase64(data));
        const candidate = Array.from({ length: randomInt(9) }, () => alphabet[randomInt(alphabet.length)]).join('');
        expect(outcome(() => noble.fromBase64(candidate)), JSON.stringify(candidate)).to.equal(outcome(() => sodium.fromBase64(candidate)));
      }
    });

    it('makes byte-identical Ed25519 keys and signatures from the same seed and message, each verifying the other\'s', () => {
      for (let i = 0; i < ROUNDS; i++) {
        const seed = sodium.randomBytes(32);
        const message = sodium.randomBytes(randomInt(300));
        const a = sodium.signKeyPair(seed);
        const b = noble.signKeyPair(seed);
        expect(hex(b.secretKey)).to.equal(hex(a.secretKey));
        const bySodium = sodium.sign(message, a.secretKey);
        const byNoble = noble.sign(message, b.secretKey);
        expect(hex(byNoble)).to.equal(hex(bySodium));
        expect(noble.verify(bySodium, message, a.publicKey)).to.equal(true);
        expect(sodium.verify(byNoble, message, b.publicKey)).to.equal(true);
      }
    });

    it('agrees with libsodium on every one-bit change to a signature, its message or its key', () => {
      const pair = sodium.signKeyPair();
      const message = sodium.randomBytes(40);
      const signature = sodium.sign(message, pair.secretKey);
      const flipped = (bytes: Uint8Array, bit: number) => {
        const copy = bytes.slice();
        copy[bit >> 3]! ^= 1 << (bit & 7);
        return copy;
      };
      for (let bit = 0; bit < 64 * 8; bit++) {
        const changed = flipped(signature, bit);
        expect(noble.verify(changed, message, pair.publicKey), `signature bit ${bit}`).to.equal(sodium.verify(changed, message, pair.publicKey));
      }
      for (let bit = 0; bit < 32 * 8; bit++) {
        const key = flipped(pair.publicKey, bit);
        expect(noble.verify(signature, message, key), `key bit ${bit}`).to.equal(sodium.verify(signature, message, key));
        const other = flipped(message, bit);
        expect(noble.verify(signature, other, pair.publicKey)).to.equal(false);
        expect(sodium.verify(signature, other, pair.publicKey)).to.equal(false);
      }
    });
  });
});
