/**
 * `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for the clients of
 * the auth file, so that Camunda's clients with `CAMUNDA_AUTH_STRATEGY=OAUTH` and
 * `CAMUNDA_OAUTH_URL=<server>/oauth/token` sign in unchanged. The body is form-encoded (or JSON):
 * `grant_type=client_credentials`, `client_id`, `client_secret` (or those as Basic credentials);
 * `audience` and `scope` are accepted and ignored. Answers `{access_token, token_type: "Bearer",
 * expires_in}`; errors are RFC 6749's `{error, error_description}`. With access control off every
 * client is accepted and the token is not checked by anyone.
 */
import type { Response } from 'express';
import { basicCredentials, type AuthConfig } from './auth.js';
import type { GuardedRouter } from './guarded-router.js';
import { issueToken, TOKEN_LIFETIME_S } from './oauth-tokens.js';

function refuse(res: Response, status: number, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/** Registers the token endpoint on `router` (open to anyone: it is how one signs in). */
export function oauthRoutes(router: GuardedRouter, auth: AuthConfig | undefined): void {
  router.post('/oauth/token', { access: 'public', body: 'text' }, (req, res) => {
    const text = typeof req.body === 'string' ? req.body : '';
    let params: Record<string, string> = {};
    if (text.trimStart().startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null)
          params = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as never;
      } catch {
        return refuse(res, 400, 'invalid_request', 'The body is neither form-encoded nor JSON.');
      }
    } else params = Object.fromEntries(new URLSearchParams(text));
    if (params.grant_type !== 'client_credentials')
      return refuse(res, 400, 'unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
    const basic = basicCredentials(req);
    const id = params.client_id ?? basic?.id;
    const secret = params.client_secret ?? basic?.secret;
    if (!id || !secret) return refuse(res, 400, 'invalid_request', 'client_id and client_secret are required.');
    const expiresAt = Date.now() + TOKEN_LIFETIME_S * 1000;
    let token: string;
    if (auth) {
      const client = auth.clientOf(id, secret);
      if (!client) {
        res.set('WWW-Authenticate', 'Basic realm="baton"');
        return refuse(res, 401, 'invalid_client', 'The client id and secret are not known.');
      }
      token = issueToken(client, expiresAt);
    } else token = 'baton-open-access';
    res.set('Cache-Control', 'no-store').json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_S,
    });
  });
}
