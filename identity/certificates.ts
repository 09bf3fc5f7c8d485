import { identityWith } from './certificate-core.js';
import { sodiumSigning } from './sodium-signing.js';

/**
 * Operator certificates on libsodium: what the admin command, the server and the console use.
 * The design and its reasons are in certificate-core.ts; the widget imports
 * noble-certificates.ts instead, which reads and writes the same bytes without libsodium.
 */
export {
  CHAT_KEY_PROOF_MS,
  CLOCK_SKEW_MS,
  type ChatKeyProof,
  type OperatorCertificate,
  type OperatorIdentityFile,
  type Verdict,
} from './certificate-core.js';

export const { readyIdentity, newSigningKeyPair, certify, proveChatKey, checkCertificate, checkChatKey } = identityWith(sodiumSigning);
