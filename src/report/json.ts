import type { Analysis } from '../model/analysis.js';

/**
 * The public JSON (shared/docs/analysis-json.md). memInfoReport repeats memInfo and zones, which
 * the contract puts at the incident's top level; the copy is left out here to halve the size.
 */
function replacer(key: string, value: unknown): unknown {
  if (key === 'memInfoReport' && value && typeof value === 'object') {
    const { memInfo: _m, zones: _z, ...rest } = value as Record<string, unknown>;
    return rest;
  }
  return value;
}

const indent = (json: string, pad: string): string => json.replace(/\n/g, `\n${pad}`);

/**
 * The same text as JSON.stringify(a, replacer, 2), in pieces: one per top-level field and one per
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
        batch += `    ${indent(JSON.stringify(v[i], replacer, 2) ?? 'null', '    ')}${i < v.length - 1 ? ',' : ''}\n`;
        if (batch.length > 1 << 16) { yield batch; batch = ''; }
      }
      yield `${batch}  ]${comma}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(v, replacer, 2), '  ')}${comma}\n`;
    }
  }
  yield '}\n';
}

export function renderJson(a: Analysis): string {
  return [...renderJsonChunks(a)].join('');
}
