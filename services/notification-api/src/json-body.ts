// Reads a JSON request body: only application/json in valid UTF-8 (else 415), at most the configured
// number of bytes (else 413, decided from Content-Length before reading when it is known), and
// syntax errors are a 400 naming the problem, never a 500.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { ApiError } from './errors.ts';

export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  const headers = ctx.req.headers;
  if (headers['transfer-encoding'] === undefined && headers['content-length'] === undefined) {
    throw new ApiError(400, 'EMPTY_BODY', 'a JSON request body is required');
  }
  if (!ctx.request.is('application/json')) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'application/json must be UTF-8');
  }
  const encoding = (ctx.get('Content-Encoding') || 'identity').toLowerCase();
  if (encoding !== 'identity') {
    // RFC 9110: a 415 caused by a content coding names the acceptable ones.
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Encoding is not supported', {
      headers: { 'Accept-Encoding': 'identity' },
    });
  }
  const bytes = await getRawBody(ctx.req, {
    length: ctx.request.length ?? null,
    limit: limitBytes,
  });
  let text: string;
  try {
    // Fatal: a byte that is not UTF-8 is refused, not turned into U+FFFD and sent on to SES.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body is not valid UTF-8');
  }
  if (text.trim() === '') throw new ApiError(400, 'EMPTY_BODY', 'a JSON request body is required');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'invalid JSON';
    throw new ApiError(400, 'MALFORMED_JSON', `request body is not valid JSON: ${detail}`);
  }
}
