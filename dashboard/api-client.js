import { language, t } from './i18n.js';

/**
 * Every data call goes through here, with the signed-in person's token: the dashboard sees exactly what the
 * API lets that person see. A refusal keeps the API's own message, which says what to do.
 */

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? t('page.api.status', { status }));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? null;
    this.requestId = body?.requestId ?? null;
  }
}

/** A client bound to one token; `signal` cancels every call in flight (on sign-out). */
export function createApiClient(token, signal) {
  async function send(path, accept, method = 'GET', body = undefined, extraHeaders = {}) {
    let response;
    // A file (a document) goes as its own bytes with its own media type; anything else as JSON.
    const file = body instanceof Blob;
    const type = body === undefined ? {} : { 'content-type': file ? body.type || 'application/octet-stream' : 'application/json' };
    // The API answers refusals in the page's language (its `code`s stay as they are).
    const headers = { authorization: `Bearer ${token}`, accept, 'accept-language': language, ...type, ...extraHeaders };
    try {
      response = await fetch(path, { method, headers, body: body === undefined || file ? body : JSON.stringify(body), signal, cache: 'no-store' });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, { message: t('page.api.unreachable') });
    }
    if (!response.ok) throw new ApiError(response.status, await jsonOf(response));
    return response;
  }

  const get = async (path) => jsonOf(await send(path, 'application/json'));
  const put = async (path, body) => jsonOf(await send(path, 'application/json', 'PUT', body));
  const post = async (path, body, headers = {}) => jsonOf(await send(path, 'application/json', 'POST', body, headers));
  const patch = async (path, body, headers = {}) => jsonOf(await send(path, 'application/json', 'PATCH', body, headers));
  /** Posts a file as the body (documents). */
  const upload = async (path, file, headers = {}) => jsonOf(await send(path, 'application/json', 'POST', file, headers));

  /** Saves what `path` answers as a file named `fileName` (the token cannot ride on a plain link). */
  async function download(path, fileName) {
    const url = URL.createObjectURL(await (await send(path, '*/*')).blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return { get, put, post, patch, upload, download };
}

async function jsonOf(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null; // A proxy's HTML error page, say: the status alone tells what happened.
  }
}

/** Whether an error only says that the call was cancelled on purpose. */
export const isCancelled = (error) => error?.name === 'AbortError';
