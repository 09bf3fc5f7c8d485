import { CLOSE_CODES, type CloseCode } from './close-codes.js';

/**
 * The one registry of error codes. Every error a client can receive — over HTTP or in an
 * `error` message on a socket — has a stable code here, an HTTP status, and, when it ends
 * the socket, a close code. docs/errors.md lists the same codes; a test keeps them equal.
 * Clients translate by code (`errors.<CODE>` in their locale files), never by message.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly close?: CloseCode;
  readonly message: string;
}

export const ERRORS = {
  ERR_BAD_MESSAGE: { status: 400, message: 'The message was not understood.' },
  ERR_BAD_REQUEST: { status: 400, message: 'The request was not understood.' },
  ERR_CLIENT_TOO_OLD: {
    status: 426,
    close: CLOSE_CODES.clientTooOld,
    message: 'This version of the chat is out of date. Please reload the page.',
  },
  ERR_FRAME_TOO_LARGE: { status: 413, close: CLOSE_CODES.frameTooLarge, message: 'The message is too large.' },
  ERR_RATE_LIMITED: { status: 429, message: 'Too many messages at once. Please wait a moment and try again.' },
  ERR_TOO_MANY_CHATS: {
    status: 429,
    message: 'Many chats are being started from your network right now. Please try again in a few minutes, or call the helpline.',
  },
  ERR_TOO_MANY_ATTEMPTS: { status: 429, message: 'Too many attempts. Please wait a few minutes.' },
  ERR_ORIGIN_NOT_ALLOWED: { status: 403, message: 'This page may not open the chat.' },
  ERR_UNAUTHENTICATED: { status: 401, close: CLOSE_CODES.unauthenticated, message: 'Please sign in.' },
  ERR_SIGNIN_FAILED: { status: 401, message: 'Unknown account or wrong password.' },
  ERR_SESSION_EXPIRED: {
    status: 401,
    close: CLOSE_CODES.sessionExpired,
    message: 'Your session has expired. Please sign in again.',
  },
  ERR_FORBIDDEN: { status: 403, message: 'You may not do this.' },
  ERR_BAD_SIGNATURE: { status: 403, message: 'This request does not carry a valid Twilio signature.' },
  ERR_NOT_FOUND: { status: 404, message: 'Not found.' },
  ERR_ACCOUNT_EXISTS: { status: 409, message: 'An account with this id exists already.' },
  ERR_OWN_ACCOUNT: { status: 409, message: 'You cannot remove your own account or take away your own admin role.' },
  ERR_WEAK_PASSWORD: { status: 400, message: 'The password needs at least 12 characters.' },
  ERR_UNKNOWN_LINE: { status: 404, message: 'This helpline is not known.' },
  ERR_UNKNOWN_TOPIC: { status: 400, message: 'This topic is not offered by this helpline.' },
  ERR_UNSUPPORTED_LANGUAGE: { status: 400, message: 'This language is not offered by this helpline.' },
  ERR_LINE_CLOSED: { status: 503, close: CLOSE_CODES.lineClosed, message: 'The helpline is closed right now.' },
  ERR_ALREADY_REQUESTED: { status: 409, message: 'This chat has already been requested.' },
  ERR_NOT_REQUESTED: { status: 409, message: 'Request a chat first.' },
  ERR_NOT_CONNECTED: { status: 409, message: 'No one is connected to this chat yet.' },
  ERR_CHAT_ENDED: { status: 409, message: 'This chat has ended.' },
  ERR_CHAT_TOO_LONG: { status: 413, message: 'This chat has become too long to continue. Please start a new chat.' },
  ERR_NOT_IN_CHAT: { status: 403, message: 'This chat is not yours.' },
  ERR_OFFER_GONE: { status: 409, message: 'This offer has expired or was taken.' },
  ERR_IDENTITY_REQUIRED: {
    status: 403,
    message: 'Load your certified identity key before accepting chats.',
  },
  ERR_AT_CAPACITY: { status: 409, message: 'You are already handling as many chats as you can.' },
  ERR_BAD_SEQUENCE: { status: 409, message: 'A message arrived out of order.' },
  ERR_RESUME_FAILED: {
    status: 410,
    close: CLOSE_CODES.chatEnded,
    message: 'This chat can no longer be resumed.',
  },
  ERR_UNKNOWN_WRAP_UP: { status: 400, message: 'Choose a wrap-up category from the list.' },
  ERR_UNAVAILABLE: {
    status: 503,
    message: 'The service is briefly unavailable. Your message is kept and will be sent when it is back.',
  },
  ERR_INTERNAL: { status: 500, close: CLOSE_CODES.internal, message: 'Something went wrong on our side.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
