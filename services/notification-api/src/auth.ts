// Bearer-token authentication. Tokens come from API_TOKENS (in AWS: a Secrets Manager secret that
// ECS injects), either a JSON array of tokens or a JSON object mapping a client name to a token
// (or to several, for rotation). The client name, never the token, is what logs and metrics see.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { ApiError } from './errors.ts';
import type { ApiState } from './state.ts';

/** The documented development token: shorter than the minimum, so only ALLOW_DEV_TOKEN admits it. */
export const DEV_TOKEN = 'local-dev-token';
export const MIN_TOKEN_LENGTH = 16;

export interface ApiClient {
  /** Who is calling: the map key, or `token-<hash prefix>` for tokens given as a plain array. */
  name: string;
  token: string;
}

export class TokenConfigError extends Error {
  override name = 'TokenConfigError';
}

/** Visible ASCII only: a bearer token travels in a header and must not carry spaces. */
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** A stable, non-secret name for an unnamed token, so rotation keeps logs readable. */
function anonymousName(token: string): string {
  return `token-${sha256(token).toString('hex').slice(0, 8)}`;
}

function checkToken(token: unknown, where: string, allowDevToken: boolean): string {
  if (typeof token !== 'string') throw new TokenConfigError(`${where} must be a string`);
  if (!TOKEN_CHARS.test(token)) {
    throw new TokenConfigError(`${where} must be visible ASCII characters without spaces`);
  }
  if (token === DEV_TOKEN) {
    if (!allowDevToken) {
      throw new TokenConfigError(
        `${where} is the development token "${DEV_TOKEN}", which is accepted only with ALLOW_DEV_TOKEN=true (never set it in AWS)`,
      );
    }
    return token;
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new TokenConfigError(`${where} must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return token;
}

/** Parses API_TOKENS. Throws TokenConfigError naming the offending entry; never echoes a token. */
export function parseApiTokens(raw: string | undefined, allowDevToken: boolean): ApiClient[] {
  if (raw === undefined || raw.trim() === '') {
    throw new TokenConfigError(
      'API_TOKENS is required: a JSON array of tokens or a JSON object {"client-name": "token"}; refusing to start without tokens',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new TokenConfigError('API_TOKENS must be JSON (an array of tokens or an object)');
  }
  const clients: ApiClient[] = [];
  if (Array.isArray(parsed)) {
    parsed.forEach((token, i) => {
      const checked = checkToken(token, `API_TOKENS[${i}]`, allowDevToken);
      clients.push({ name: anonymousName(checked), token: checked });
    });
  } else if (typeof parsed === 'object' && parsed !== null) {
    for (const [name, value] of Object.entries(parsed)) {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
        throw new TokenConfigError(
          `API_TOKENS key ${JSON.stringify(name.slice(0, 64))} must be 1..64 characters of A-Z a-z 0-9 . _ -`,
        );
      }
      const tokens: unknown[] = Array.isArray(value) ? value : [value];
      if (tokens.length === 0) throw new TokenConfigError(`API_TOKENS.${name} has no token`);
      tokens.forEach((token, i) => {
        const where = Array.isArray(value) ? `API_TOKENS.${name}[${i}]` : `API_TOKENS.${name}`;
        clients.push({ name, token: checkToken(token, where, allowDevToken) });
      });
    }
  } else {
    throw new TokenConfigError('API_TOKENS must be a JSON array of tokens or a JSON object');
  }
  if (clients.length === 0) {
    throw new TokenConfigError('API_TOKENS holds no token; refusing to start without tokens');
  }
  const seen = new Set<string>();
  for (const client of clients) {
    if (seen.has(client.token)) {
      throw new TokenConfigError(`API_TOKENS lists the same token twice (client ${client.name})`);
    }
    seen.add(client.token);
  }
  return clients;
}

export type AuthResult =
  { ok: true; client: string } | { ok: false; reason: 'missing' | 'malformed' | 'invalid' };

export interface Authenticator {
  authenticate(authorizationHeader: string | undefined): AuthResult;
}

/**
 * Compares the presented token with every configured one in constant time: both sides are
 * hashed to equal-length SHA-256 digests (timingSafeEqual needs equal lengths, and hashing hides
 * the real length), and the loop never stops early, so timing reveals neither which token
 * matched nor how much of one did.
 */
export function createAuthenticator(clients: readonly ApiClient[]): Authenticator {
  const known = clients.map((c) => ({ name: c.name, digest: sha256(c.token) }));
  return {
    authenticate(header) {
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
      const match = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(header);
      if (!match) return { ok: false, reason: 'malformed' };
      const presented = sha256(match[1]);
      let found: string | undefined;
      for (const candidate of known) {
        if (timingSafeEqual(candidate.digest, presented) && found === undefined) {
          found = candidate.name;
        }
      }
      return found === undefined ? { ok: false, reason: 'invalid' } : { ok: true, client: found };
    },
  };
}

const AUTH_MESSAGES: Record<'missing' | 'malformed' | 'invalid', string> = {
  missing: 'missing bearer token (Authorization: Bearer <token>)',
  malformed: 'the Authorization header must be "Bearer <token>"',
  invalid: 'invalid bearer token',
};

/** 401 with WWW-Authenticate on failure; on success the client name goes to ctx.state. */
export function authMiddleware(authenticator: Authenticator): Middleware<ApiState> {
  return async (ctx, next) => {
    const result = authenticator.authenticate(ctx.get('Authorization') || undefined);
    if (!result.ok) {
      const challenge =
        result.reason === 'missing'
          ? 'Bearer realm="notify"'
          : 'Bearer realm="notify", error="invalid_token"';
      throw new ApiError(401, 'UNAUTHORIZED', AUTH_MESSAGES[result.reason], {
        headers: { 'WWW-Authenticate': challenge },
        reason: `unauthorized_${result.reason}`,
      });
    }
    ctx.state.client = result.client;
    ctx.state.log = ctx.state.log.child({ client: result.client });
    await next();
  };
}
