/**
 * Checks the administrator's input in the browser before it is sent, with the same parsers the
 * customer's browser uses (the SDK runs `querySelectorAll(selector)` and `new RegExp(urlPattern)`).
 * The server validates again, with its own parsers and limits (docs/PROTOCOL.md, "DOM
 * restrictions"): a value accepted here may still be refused there (a pseudo-element selector such
 * as `p::before` is valid CSS that selects no element).
 */

/** Limits of the REST API (`400 invalidRestriction` beyond them). */
export const LIMITS = { selector: 1000, urlPattern: 1000, description: 500, group: 100 } as const;

/**
 * Why `selector` cannot be a restriction's selector, or `null` when this browser accepts it.
 * Messages start with "Invalid selector:" when the selector does not parse.
 */
export function selectorError(selector: string): string | null {
  if (selector.trim() === '') return 'Enter a CSS selector, for example #card-number or .payment input.';
  if (selector.length > LIMITS.selector) return `The selector is too long: at most ${LIMITS.selector} characters.`;
  try {
    // A fragment: nothing is searched, only the selector is parsed.
    document.createDocumentFragment().querySelector(selector);
  } catch {
    return `Invalid selector: “${selector}” is not a valid CSS selector.`;
  }
  return null;
}

/**
 * Why `pattern` cannot be a restriction's URL pattern, or `null` when this browser compiles it.
 * Messages of patterns that do not compile are the engine's own ("Invalid regular expression: /(/:
 * Unterminated group"), prefixed with "Invalid regular expression:" when the engine's is not.
 */
export function patternError(pattern: string): string | null {
  if (pattern === '') return 'Enter a regular expression, or choose “All pages”.';
  if (pattern.length > LIMITS.urlPattern) return `The pattern is too long: at most ${LIMITS.urlPattern} characters.`;
  try {
    new RegExp(pattern);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.startsWith('Invalid regular expression') ? message : `Invalid regular expression: ${message}`;
  }
  return null;
}

/** Why `group` cannot be a group name (after trimming), or `null`. */
export function groupError(group: string): string | null {
  const name = group.trim();
  if (name === '') return 'Enter a group name, or choose an existing group.';
  if (name.length > LIMITS.group) return `The group name is too long: at most ${LIMITS.group} characters.`;
  return null;
}

/** Why `description` cannot be a description, or `null`. */
export function descriptionError(description: string): string | null {
  if (description.length > LIMITS.description) return `The description is too long: at most ${LIMITS.description} characters.`;
  return null;
}

/**
 * Whether a restriction with URL pattern `pattern` applies to the page at `url`, as the SDK decides
 * it (`new RegExp(pattern).test(url)`); `null` when the pattern does not compile.
 */
export function patternMatches(pattern: string, url: string): boolean | null {
  try {
    return new RegExp(pattern).test(url);
  } catch {
    return null;
  }
}
