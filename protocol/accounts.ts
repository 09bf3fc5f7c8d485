import * as z from 'zod/mini';
import { idSchema, languageSchema } from './ids.js';
import type { OperatorProfile } from './operator-messages.js';

/**
 * The admin's account management over HTTP (admin role only; docs/protocol.md):
 *
 *   GET    /api/accounts                 → 200 AccountsResponse
 *   POST   /api/accounts                 NewAccountRequest → 201 AccountResponse
 *   PUT    /api/accounts/:id             AccountFields → 200 AccountResponse
 *   PUT    /api/accounts/:id/password    PasswordResetRequest → 204
 *   DELETE /api/accounts/:id             → 204
 *
 * Errors: 401 ERR_UNAUTHENTICATED / ERR_SESSION_EXPIRED, 403 ERR_FORBIDDEN (not an admin)
 * or ERR_ORIGIN_NOT_ALLOWED, 400 ERR_BAD_REQUEST (a field, or a line or topic the lines
 * file does not know), 400 ERR_WEAK_PASSWORD, 404 ERR_NOT_FOUND (no such account),
 * 409 ERR_ACCOUNT_EXISTS, 409 ERR_OWN_ACCOUNT (an admin removing or demoting themselves).
 */
export const ACCOUNTS_PATH = '/api/accounts';
export const accountPath = (id: string): string => `${ACCOUNTS_PATH}/${encodeURIComponent(id)}`;
export const accountPasswordPath = (id: string): string => `${accountPath(id)}/password`;

/** Fewest characters of a password: long passphrases beat composition rules (NIST SP 800-63B). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_CAPACITY = 10;
export const MAX_NAME_LENGTH = 80;

export const roleSchema = z.enum(['operator', 'supervisor', 'admin']);
export type Role = z.infer<typeof roleSchema>;

/** What an admin may set on an account; the id is fixed once made. */
export const accountFieldsSchema = z.strictObject({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_NAME_LENGTH)),
  role: roleSchema,
  lines: z.array(idSchema).check(z.maxLength(50)),
  languages: z.array(languageSchema).check(z.maxLength(20)),
  topics: z.array(idSchema).check(z.maxLength(50)),
  capacity: z.int().check(z.minimum(1), z.maximum(MAX_CAPACITY)),
});
export type AccountFields = z.infer<typeof accountFieldsSchema>;

/** A password's length is checked apart, so a short one gets ERR_WEAK_PASSWORD, not a 400. */
const passwordSchema = z.string().check(z.minLength(1), z.maxLength(MAX_PASSWORD_LENGTH));

export const newAccountRequestSchema = z.strictObject({
  ...accountFieldsSchema.shape,
  id: idSchema,
  password: passwordSchema,
});
export type NewAccountRequest = z.infer<typeof newAccountRequestSchema>;

export const passwordResetRequestSchema = z.strictObject({ password: passwordSchema });
export type PasswordResetRequest = z.infer<typeof passwordResetRequestSchema>;

export interface AccountsResponse {
  accounts: OperatorProfile[];
}

export interface AccountResponse {
  account: OperatorProfile;
}
