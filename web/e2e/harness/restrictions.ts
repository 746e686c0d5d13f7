// The restrictions REST API as tests use it: with an API key (`cobrowse apikey create`), the way
// restrictions managed as code are. Restrictions are global to a worker's server: a test that
// creates some removes them afterwards.

import { expect } from '@playwright/test';
import type { Restriction, RestrictionInput, RestrictionList } from '@cobrowse/protocol';
import type { CobrowseServer } from './server';

export interface RestrictionsApi {
  list(): Promise<Restriction[]>;
  /** Creates a restriction (expects `201`) and returns it. */
  create(body: RestrictionInput): Promise<Restriction>;
  /** Deletes every restriction `which` selects (expects `204` each). */
  removeWhere(which: (r: Restriction) => boolean): Promise<void>;
}

export async function restrictionsApi(cobrowse: CobrowseServer): Promise<RestrictionsApi> {
  const key = await cobrowse.createApiKey();
  const base = `${cobrowse.origin}/cobrowse/rest/restrictions`;
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
  const list = async (): Promise<Restriction[]> => {
    const response = await call('');
    expect(response.status).toBe(200);
    return ((await response.json()) as RestrictionList).restrictions;
  };
  return {
    list,
    async create(body) {
      const response = await call('', { method: 'POST', body: JSON.stringify(body) });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Restriction;
    },
    async removeWhere(which) {
      for (const r of await list()) {
        if (!which(r)) continue;
        const response = await call(`/${String(r.id)}`, { method: 'DELETE' });
        expect(response.status).toBe(204);
      }
    },
  };
}
