import type { Analysis } from '../model/analysis.js';

/** The public JSON (shared/docs/analysis-json.md; schema/analysis.schema.json): the analysis as it is. */

/**
 * JSON.stringify(v, null, 2) with every line after the first indented by 2 × depth spaces, as it
 * stands inside depth arrays: V8 indents it while it writes (wrapping v in arrays), instead of a
 * second pass over the text (a replace of every newline was a third of the JSON writer's time).
 */
function nested(v: unknown, depth: 1 | 2): string {
  if (v === undefined) return 'null';
  const text = JSON.stringify(depth === 1 ? [v] : [[v]], null, 2);
  // "[\n  " or "[\n  [\n    " before it, "\n]" or "\n  ]\n]" after it
  return depth === 1 ? text.slice(4, -2) : text.slice(10, -6);
}

/**
 * The same text as JSON.stringify(a, null, 2), in pieces: one per top-level field and one per
 * element of its arrays. A single string of the whole analysis breaks V8's string limit (~512 M
 * characters: about 50,000 OOM reports) and holds the report twice in memory; pieces do neither.
 */
export function* renderJsonChunks(a: Analysis): Generator<string> {
  const entries = Object.entries(a).filter(([, v]) => v !== undefined);
  yield '{\n';
  for (const [k, [key, v]] of entries.entries()) {
    const comma = k < entries.length - 1 ? ',' : '';
    if (Array.isArray(v) && v.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      let batch = '';
      for (let i = 0; i < v.length; i++) {
        batch += `    ${nested(v[i], 2)}${i < v.length - 1 ? ',' : ''}\n`;
        if (batch.length > 1 << 16) { yield batch; batch = ''; }
      }
      yield `${batch}  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${nested(v, 1)}${comma}\n`;
    }
  }
  yield '}\n';
}

export function renderJson(a: Analysis): string {
  return [...renderJsonChunks(a)].join('');
}
