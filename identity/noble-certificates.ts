import { identityWith } from './certificate-core.js';
import { nobleSigning } from './noble-signing.js';

/**
 * Operator certificates on noble, for the widget: the checks of certificates.ts, with the same
 * results on the same bytes, without pulling libsodium into the bundle. Only the visitor's side
 * (checking) is exported; signing stays with the console and the admin command.
 */
export {
  CHAT_KEY_PROOF_MS,
  CLOCK_SKEW_MS,
  type ChatKeyProof,
  type OperatorCertificate,
  type Verdict,
} from './certificate-core.js';

export const { readyIdentity, checkCertificate, checkChatKey } = identityWith(nobleSigning);
