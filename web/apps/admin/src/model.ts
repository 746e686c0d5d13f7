/**
 * How restrictions and their changes read in the editor: the guide's names for the two kinds, the
 * scope in words, and the field-by-field difference of two versions of a restriction (the audit
 * log's "what changed"). Pure functions of the REST types.
 */

import type { AuditEntry, Restriction, RestrictionInput, RestrictionKind, RestrictionPatch } from '@cobrowse/protocol';

/** The kinds as the Genesys guide names them in its DOM Restrictions Editor. */
export const KIND_LABEL: Record<RestrictionKind, string> = {
  control: 'DOM control',
  mask: 'DOM control and Data masking',
};

/** "All pages", or the URL pattern a page's address must match. */
export function scopeText(urlPattern: string | null): string {
  return urlPattern === null ? 'All pages' : urlPattern;
}

/** The fields an administrator edits, in the order the editor shows them. */
export type EditableField = 'selector' | 'kind' | 'description' | 'group' | 'urlPattern' | 'enabled';

export const FIELD_LABEL: Record<EditableField, string> = {
  selector: 'Selector',
  kind: 'Type',
  description: 'Description',
  group: 'Group',
  urlPattern: 'Scope',
  enabled: 'Enabled',
};

const FIELDS: readonly EditableField[] = ['selector', 'kind', 'description', 'group', 'urlPattern', 'enabled'];

/** A field's value as text. An empty description is "(none)", a null pattern "All pages". */
export function fieldText(r: Restriction, field: EditableField): string {
  switch (field) {
    case 'selector':
      return r.selector;
    case 'kind':
      return KIND_LABEL[r.kind];
    case 'description':
      return r.description === '' ? '(none)' : r.description;
    case 'group':
      return r.group;
    case 'urlPattern':
      return scopeText(r.urlPattern);
    case 'enabled':
      return r.enabled ? 'on' : 'off';
    default: {
      const never: never = field;
      return never;
    }
  }
}

/** One line of "what changed": `before` is `null` for a created restriction, `after` for a deleted one. */
export interface FieldChange {
  field: EditableField;
  label: string;
  before: string | null;
  after: string | null;
}

/**
 * What an audit entry changed: for an update, the fields whose value differs (before → after);
 * for a create, every field's new value; for a delete, every field's last value.
 */
export function auditChanges(entry: Pick<AuditEntry, 'before' | 'after'>): FieldChange[] {
  const { before, after } = entry;
  const changes: FieldChange[] = [];
  for (const field of FIELDS) {
    const b = before ? fieldText(before, field) : null;
    const a = after ? fieldText(after, field) : null;
    if (before && after && before[field] === after[field]) continue;
    changes.push({ field, label: FIELD_LABEL[field], before: b, after: a });
  }
  return changes;
}

/** A short name for a restriction: its description, else its selector. */
export function restrictionName(r: Pick<Restriction, 'description' | 'selector'>): string {
  return r.description.trim() !== '' ? r.description : r.selector;
}

/**
 * The restrictions grouped by `group`, groups in the order of their first restriction (the server
 * lists by group, then id), restrictions in list order.
 */
export function groupRestrictions(list: readonly Restriction[]): Map<string, Restriction[]> {
  const groups = new Map<string, Restriction[]>();
  for (const r of list) {
    const members = groups.get(r.group);
    if (members) members.push(r);
    else groups.set(r.group, [r]);
  }
  return groups;
}

/** Whether `r` matches the filter text (case-insensitive, in any shown field); "" matches all. */
export function matchesFilter(r: Restriction, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return [r.description, r.selector, r.group, scopeText(r.urlPattern), KIND_LABEL[r.kind], r.updatedBy].some((text) =>
    text.toLowerCase().includes(needle),
  );
}

/**
 * The PATCH body that turns `before` into what the edit dialog holds (`input`, where an absent
 * `urlPattern` means every page): only the fields that differ, so a change made meanwhile by
 * someone else to another field (the enabled switch in another tab) is kept, and the audit log
 * records exactly what this administrator changed. Empty when nothing differs.
 */
export function restrictionPatch(before: Restriction, input: RestrictionInput): RestrictionPatch {
  const patch: RestrictionPatch = {};
  if (input.selector !== before.selector) patch.selector = input.selector;
  if (input.kind !== before.kind) patch.kind = input.kind;
  if (input.description !== undefined && input.description !== before.description) patch.description = input.description;
  if (input.group !== undefined && input.group !== before.group) patch.group = input.group;
  const urlPattern = input.urlPattern === undefined || input.urlPattern === '' ? null : input.urlPattern;
  if (urlPattern !== before.urlPattern) patch.urlPattern = urlPattern;
  if (input.enabled !== undefined && input.enabled !== before.enabled) patch.enabled = input.enabled;
  return patch;
}
