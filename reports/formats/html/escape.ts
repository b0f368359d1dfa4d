/**
 * Escaping for the HTML report. Every finding field (resource ids, names, tags, messages that
 * quote them) is attacker-controlled: anyone who can name a bucket or tag an instance writes
 * into the report. Text goes through `escapeHtml`; data embedded for the page's script goes
 * through `jsonForScript`, so no value can end the `<script>` element it sits in.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become
 * `\u003c`, `\u003e` and `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028 and
 * U+2029 are escaped too. `JSON.parse` of the element's text gives back the same value.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => {
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `2026-11-25T22:56:47.123Z` → `2026-11-25 22:56 UTC`; anything else is returned as it is. */
export function formatInstant(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(iso);
  return match === null ? iso : `${match[1]} ${match[2]} UTC`;
}

/** `12345` → `12,345`, the same in every locale so reports compare line by line. */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
