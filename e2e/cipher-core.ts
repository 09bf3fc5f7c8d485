import { LIMITS } from '../protocol/limits.js';
import { E2EError } from './errors.js';
import { isChatPlaintext, type ChatPlaintext } from './plaintext.js';
import type { KxKeyPair, Primitives } from './primitives.js';

export type Role = 'visitor' | 'operator';

/** Makes ciphers on one set of primitives; chat-cipher.ts and noble-cipher.ts each export one. */
export interface ChatCipherFactory {
  create(role: Role): Promise<ChatCipher>;
}

export function chatCipherFactory(primitives: Primitives): ChatCipherFactory {
  return { create: (role) => ChatCipher.create(role, primitives) };
}

const NONCE_BYTES = 24; // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
const KX_PUBLIC_KEY_BYTES = 32; // crypto_kx_PUBLICKEYBYTES
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * One chat's end-to-end encryption, on one side. Each side makes an ephemeral X25519 pair
 * per chat; the visitor derives keys as the kx "client", the operator as the "server", so
 * each direction has its own key. Every message is padded, then sealed with XChaCha20-
 * Poly1305 whose associated data binds chat id, direction and sequence number: a relay can
 * neither read, alter, replay, reorder nor move a message to another chat undetected.
 *
 * The primitives decide only which library computes the bytes, never what they are: a
 * widget on noble and a console on libsodium talk to each other.
 */
export class ChatCipher {
  private rx: Uint8Array | null = null;
  private tx: Uint8Array | null = null;
  private chatId: string | null = null;
  private sentSeq = 0;
  private receivedSeq = 0;
  private wiped = false;

  private constructor(
    readonly role: Role,
    private readonly p: Primitives,
    private readonly keyPair: KxKeyPair,
  ) {}

  static async create(role: Role, primitives: Primitives): Promise<ChatCipher> {
    await primitives.ready();
    return new ChatCipher(role, primitives, primitives.kxKeyPair());
  }

  /** Our public key for this chat, as sent on the wire. */
  get publicKey(): string {
    return this.p.toBase64(this.keyPair.publicKey);
  }

  get established(): boolean {
    return this.tx !== null;
  }

  /** Highest sequence number received so far (what a resume asks to continue after). */
  get lastReceived(): number {
    return this.receivedSeq;
  }

  /** Derive the directional keys once the peer's key and the chat id are known. */
  establish(peerPublicKey: string, chatId: string): void {
    if (this.wiped) throw new E2EError('wiped');
    let peer: Uint8Array;
    try {
      peer = this.p.fromBase64(peerPublicKey);
    } catch {
      throw new E2EError('malformed');
    }
    if (peer.length !== KX_PUBLIC_KEY_BYTES) throw new E2EError('malformed');
    let keys: { rx: Uint8Array; tx: Uint8Array };
    try {
      keys =
        this.role === 'visitor'
          ? this.p.kxClientSessionKeys(this.keyPair, peer)
          : this.p.kxServerSessionKeys(this.keyPair, peer);
    } catch {
      throw new E2EError('malformed'); // a small-order key, which would give a known shared secret
    }
    this.rx = keys.rx;
    this.tx = keys.tx;
    this.chatId = chatId;
  }

  /** Seal the next outgoing message; returns its sequence number and wire data. */
  seal(message: ChatPlaintext): { seq: number; data: string } {
    if (!isChatPlaintext(message)) throw new E2EError((message as { t?: unknown })?.t === 'text' ? 'too-long' : 'malformed');
    const tx = this.requireKey(this.tx);
    const seq = this.sentSeq + 1;
    const encoded = encoder.encode(JSON.stringify(message));
    // Refuse here what the server would refuse after: the sealed result must fit the wire limit.
    if (encoded.length > LIMITS.maxPlaintextBytes) throw new E2EError('too-long');
    const padded = this.p.pad(encoded, LIMITS.padBlockBytes);
    const nonce = this.p.randomBytes(NONCE_BYTES);
    const sealed = this.p.aeadEncrypt(padded, this.associatedData(this.role, seq), nonce, tx);
    const wire = new Uint8Array(NONCE_BYTES + sealed.length);
    wire.set(nonce, 0);
    wire.set(sealed, NONCE_BYTES);
    this.sentSeq = seq;
    return { seq, data: this.p.toBase64(wire) };
  }

  /**
   * Open an incoming message. Sequence numbers must arrive exactly in order: an old one is
   * a replay (or a harmless resend after reconnecting — callers may ignore it), a gap means
   * something was dropped or reordered.
   */
  open(seq: number, data: string): ChatPlaintext {
    const rx = this.requireKey(this.rx);
    if (seq <= this.receivedSeq) throw new E2EError('replay');
    if (seq !== this.receivedSeq + 1) throw new E2EError('out-of-order');
    let wire: Uint8Array;
    try {
      wire = this.p.fromBase64(data);
    } catch {
      throw new E2EError('malformed');
    }
    if (wire.length <= NONCE_BYTES) throw new E2EError('malformed');
    const peerRole: Role = this.role === 'visitor' ? 'operator' : 'visitor';
    let padded: Uint8Array;
    try {
      padded = this.p.aeadDecrypt(wire.subarray(NONCE_BYTES), this.associatedData(peerRole, seq), wire.subarray(0, NONCE_BYTES), rx);
    } catch {
      throw new E2EError('tampered');
    }
    let message: unknown;
    try {
      message = JSON.parse(decoder.decode(this.p.unpad(padded, LIMITS.padBlockBytes)));
    } catch {
      throw new E2EError('malformed');
    }
    if (!isChatPlaintext(message)) throw new E2EError('malformed');
    this.receivedSeq = seq;
    return message;
  }

  /** Forget every key: after this the chat can be neither read nor continued. */
  wipe(): void {
    for (const key of [this.rx, this.tx, this.keyPair.secretKey]) key?.fill(0);
    this.rx = null;
    this.tx = null;
    this.wiped = true;
  }

  private requireKey(key: Uint8Array | null): Uint8Array {
    if (this.wiped) throw new E2EError('wiped');
    if (!key || this.chatId === null) throw new E2EError('not-established');
    return key;
  }

  /** Binds chat, direction (by sender role) and sequence number to each ciphertext. */
  private associatedData(sender: Role, seq: number): Uint8Array {
    return encoder.encode(`quietline/1|${this.chatId}|${sender === 'visitor' ? 'v2o' : 'o2v'}|${seq}`);
  }
}
