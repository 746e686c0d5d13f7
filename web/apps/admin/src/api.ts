/**
 * The REST calls of the DOM Restrictions Editor (docs/PROTOCOL.md, "REST API" and "DOM
 * restrictions"), with the login cookie of this origin. No call rejects: a failure is a value with
 * the HTTP status (`0` when the server cannot be reached) and the server's message.
 */

import type {
  ApiError,
  AuditLog,
  ErrorCode,
  InspectLink,
  InspectRequest,
  LoginRequest,
  Me,
  Restriction,
  RestrictionInput,
  RestrictionList,
  RestrictionPatch,
} from '@cobrowse/protocol';

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; code: ErrorCode | null; message: string };

const UNREACHABLE = 'The server cannot be reached. Check your connection and try again.';

async function call<T>(path: string, method = 'GET', body?: unknown): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (res.ok) {
      const text = await res.text();
      return { ok: true, value: (text ? JSON.parse(text) : null) as T };
    }
  } catch {
    return { ok: false, status: 0, code: null, message: UNREACHABLE };
  }
  let code: ErrorCode | null = null;
  let message = `The server answered HTTP ${res.status}.`;
  try {
    const err = ((await res.json()) as ApiError).error;
    code = err.code;
    message = err.message;
  } catch {
    // Not a JSON error body (a proxy's page, for example): keep the status.
  }
  return { ok: false, status: res.status, code, message };
}

/** A restriction's id in a URL path (ids are integers; the generated type says `bigint`). */
const idPath = (id: Restriction['id']) => `/cobrowse/rest/restrictions/${encodeURIComponent(String(id))}`;

export const api = {
  /** Logs in, as an administrator only: an agent gets `403 forbidden` and no cookie. */
  login: (username: string, password: string) =>
    call<Me>('/cobrowse/rest/auth/login', 'POST', { username, password, requiredRole: 'admin' } satisfies LoginRequest),
  me: () => call<Me>('/cobrowse/rest/auth/me'),
  logout: () => call<null>('/cobrowse/rest/auth/logout', 'POST'),
  list: () => call<RestrictionList>('/cobrowse/rest/restrictions'),
  create: (input: RestrictionInput) => call<Restriction>('/cobrowse/rest/restrictions', 'POST', input),
  patch: (id: Restriction['id'], patch: RestrictionPatch) => call<Restriction>(idPath(id), 'PATCH', patch),
  remove: (id: Restriction['id']) => call<null>(idPath(id), 'DELETE'),
  audit: (limit: number) => call<AuditLog>(`/cobrowse/rest/restrictions/audit?limit=${limit}`),
  inspect: (url: string) => call<InspectLink>('/cobrowse/rest/restrictions/inspect', 'POST', { url } satisfies InspectRequest),
};
