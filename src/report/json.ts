import type { Analysis } from '../model/analysis.js';

/** The public JSON (shared/docs/analysis-json.md; schema/analysis.schema.json): the analysis as it is. */

/**
 * JSON.stringify(v, null, 2) with every line after the first indented by 2 spaces, as it stands
 * in the top-level object: V8 indents it while it writes (wrapping v in an array), instead of a
 * second pass over the text (a replace of every newline was a third of the JSON writer's time).
 */
function nested(v: unknown): string {
  if (v === undefined) return 'null';
  // "[\n  " before it, "\n]" after it
  return JSON.stringify([v], null, 2).slice(4, -2);
}

/** About this many characters per piece of an array (the last piece of a batch may pass it). */
const BATCH_CHARS = 1 << 18;

/**
 * Elements from..to-1 of an array as they stand in the whole text: "    e1,\n    e2" (no
 * indent before the first, no comma after the last). One JSON.stringify of the slice, wrapped
 * in an array to get the inner indent, does in one call what one call per element did.
 */
function elements(v: readonly unknown[], from: number, to: number): string {
  return JSON.stringify([v.slice(from, to)], null, 2).slice(10, -6);
}

/**
 * The same text as JSON.stringify(a, null, 2), in pieces: one per top-level field and a few
 * hundred KB of elements of its arrays at a time. A single string of the whole analysis breaks
 * V8's string limit (~512 M characters: about 50,000 OOM reports) and holds the report twice in
 * memory; pieces do neither. How many elements go in a piece follows the size of the last ones,
 * so a piece stays near BATCH_CHARS whether an element is 200 bytes or 200 KB.
 */
export function* renderJsonChunks(a: Analysis): Generator<string> {
  const entries = Object.entries(a).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (const [k, [key, v]] of entries.entries()) {
    const comma = k < entries.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length > 0) {
      let head = `  ${JSON.stringify(key)}: [\n`;
      let count = 8;
      for (let i = 0; i < v.length;) {
        const to = Math.min(v.length, i + count);
        const text = elements(v, i, to);
        const last = to === v.length;
        yield `${head}    ${text}${last ? `\n  ]${comma}\n` : ',\n'}`;
        head = '';
        count = Math.max(1, Math.floor(BATCH_CHARS / Math.max(1, text.length / (to - i))));
        i = to;
      }
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(v)}${comma}\n`;
    }
  }
  yield '}\n';
}

export function renderJson(a: Analysis): string {
  return [...renderJsonChunks(a)].join('');
}
