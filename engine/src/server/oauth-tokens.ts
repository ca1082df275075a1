/**
 * Bearer tokens handed out by the OAuth 2.0 client-credentials endpoint (./oauth.ts). A token names
 * its client and when it expires, signed with HMAC-SHA-256 under a key derived from the client's
 * secret: `baton1.<client id, base64url>.<expiry, epoch ms>.<signature, base64url>`. Nothing is
 * stored, so every node reading the same auth file accepts the tokens of every other, and changing
 * a client's secret revokes its tokens.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuthConfig, Client, Principal } from './auth.js';

/** How long an issued token is valid (seconds). */
export const TOKEN_LIFETIME_S = 3600;

function signature(client: Client, payload: string): Buffer {
  const key = createHash('sha256').update(`baton-oauth\0${client.secret}`).digest();
  return createHmac('sha256', key).update(payload).digest();
}

/** A token for `client`, valid until `expiresAt` (epoch ms). */
export function issueToken(client: Client, expiresAt: number): string {
  const payload = `baton1.${Buffer.from(client.id).toString('base64url')}.${expiresAt}`;
  return `${payload}.${signature(client, payload).toString('base64url')}`;
}

/** The principal of a token issued by {@link issueToken} that has not expired, else undefined. */
export function issuedPrincipal(config: AuthConfig, token: string, now = Date.now()): Principal | undefined {
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'baton1' || !/^[0-9]{1,16}$/.test(parts[2]!)) return undefined;
  const client = config.clientById(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  if (!client || Number(parts[2]) <= now) return undefined;
  const expected = signature(client, parts.slice(0, 3).join('.'));
  const given = Buffer.from(parts[3]!, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? client.principal : undefined;
}
