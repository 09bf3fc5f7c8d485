import type { ErrorCode } from '../protocol/errors.js';
import { isErrorCode } from '../protocol/errors.js';
import { PATHS, type LinesResponse, type SignInRequest, type VoiceTokenResponse } from '../protocol/http.js';
import type { OperatorProfile } from '../protocol/operator-messages.js';

/** The console's HTTP calls. The session cookie is HttpOnly: we never see or store it. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode | 'network' };

const json = { 'content-type': 'application/json', accept: 'application/json' };

export async function getSession(): Promise<ApiResult<OperatorProfile>> {
  return call(PATHS.session, { method: 'GET' }, (body) => (body as { operator: OperatorProfile }).operator);
}

export async function signIn(request: SignInRequest): Promise<ApiResult<null>> {
  return call(PATHS.session, { method: 'POST', headers: json, body: JSON.stringify(request) }, () => null);
}

export async function signOut(): Promise<ApiResult<null>> {
  return call(PATHS.session, { method: 'DELETE' }, () => null);
}

export async function getLines(): Promise<ApiResult<LinesResponse>> {
  return call(PATHS.lines, { method: 'GET' }, (body) => body as LinesResponse);
}

/** How this console places calls; ERR_NOT_FOUND when the deployment has no voice. */
export async function getVoiceToken(): Promise<ApiResult<VoiceTokenResponse>> {
  return call(PATHS.voiceToken, { method: 'GET' }, (body) => body as VoiceTokenResponse);
}

/** Simulated voice only: stands in for the device connecting out to the call we hold. */
export async function simulatedConnect(ticket: string): Promise<ApiResult<null>> {
  return call(PATHS.voiceSimulatedConnect, { method: 'POST', headers: json, body: JSON.stringify({ ticket }) }, () => null);
}

/** One request: the session cookie goes along, nothing is cached, an error is known by its registry code. */
export async function call<T>(path: string, init: RequestInit, read: (body: unknown) => T): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    return { ok: false, code: 'network' };
  }
  const body: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.ok) return { ok: true, value: read(body) };
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return { ok: false, code: isErrorCode(code) ? code : 'ERR_INTERNAL' };
}
