// Reads a JSON request body: only application/json in UTF-8 (else 415), at most the configured
// number of bytes (else 413, decided from Content-Length before reading when it is known), and
// syntax errors are a 400 naming the problem, never a 500.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { ApiError } from './errors.ts';

export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.request.is('application/json')) {
    const hasBody = ctx.request.length !== undefined || ctx.get('Transfer-Encoding') !== '';
    if (!hasBody && ctx.get('Content-Type') === '') {
      throw new ApiError(400, 'EMPTY_BODY', 'a JSON request body is required');
    }
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json', {
      headers: { Accept: 'application/json' },
    });
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json must be UTF-8', {
      headers: { Accept: 'application/json; charset=utf-8' },
    });
  }
  const encoding = (ctx.get('Content-Encoding') || 'identity').toLowerCase();
  if (encoding !== 'identity') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding is not supported');
  }
  const text = await getRawBody(ctx.req, {
    length: ctx.request.length ?? null,
    limit: limitBytes,
    encoding: 'utf-8',
  });
  if (text.trim() === '') throw new ApiError(400, 'EMPTY_BODY', 'a JSON request body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw new ApiError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${detail}`);
  }
}
