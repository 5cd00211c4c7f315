import { language, t } from './i18n.js';

/**
 * Every data call goes through here, as the signed-in person: the browser sends their session cookie (HttpOnly, so
 * no script of the page ever reads it), and every call that changes something carries the session's CSRF token
 * (X-CSRF-Token), which the page keeps in memory only. The dashboard sees exactly what the API lets that person see.
 * A refusal keeps the API's own message, in the page's language, which says what to do.
 */

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? t('page.api.status', { status }));
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.code ?? null;
    this.requestId = body?.requestId ?? null;
    /** The field a 400 refused, as the API names it (`body.contact.email`); null for other refusals. */
    this.field = typeof body?.field === 'string' ? body.field : null;
  }
}

/**
 * A client for one session (`csrfToken`: what GET /auth/session or a sign-in answered; none before sign-in);
 * `signal` cancels every call in flight (on sign-out).
 */
export function createApiClient({ csrfToken = null, signal = undefined } = {}) {
  async function send(path, accept, method = 'GET', body = undefined, extraHeaders = {}) {
    let response;
    // A file (a document) goes as its own bytes with its own media type; anything else as JSON.
    const file = body instanceof Blob;
    const type = body === undefined ? {} : { 'content-type': file ? body.type || 'application/octet-stream' : 'application/json' };
    const csrf = method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {};
    // The API answers refusals in the page's language (its `code`s stay as they are).
    const headers = { accept, 'accept-language': language, ...type, ...csrf, ...extraHeaders };
    try {
      response = await fetch(path, { method, headers, body: body === undefined || file ? body : JSON.stringify(body), signal, cache: 'no-store', credentials: 'same-origin' });
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
  const del = async (path) => jsonOf(await send(path, 'application/json', 'DELETE'));
  /** Posts a file as the body (documents). */
  const upload = async (path, file, headers = {}) => jsonOf(await send(path, 'application/json', 'POST', file, headers));

  /** Saves what `path` answers as a file named `fileName`, under the name the page gives it. */
  async function download(path, fileName) {
    const url = URL.createObjectURL(await (await send(path, '*/*')).blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return { get, put, post, patch, del, upload, download };
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
