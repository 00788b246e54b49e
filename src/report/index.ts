import type { Analysis } from '../model/analysis.js';
import { renderJsonChunks } from './json.js';
import { renderMarkdownChunks } from './markdown.js';
import { renderTextChunks } from './text.js';
import { COLOR, PLAIN } from './style.js';

export const FORMATS = ['text', 'json', 'md'] as const;
export type Format = (typeof FORMATS)[number];

/** The report in pieces, to write as they come (a big report is never one string). */
export function renderChunks(a: Analysis, format: Format, opts: { color?: boolean } = {}): Iterable<string> {
  switch (format) {
    case 'json': return renderJsonChunks(a);
    case 'md': return renderMarkdownChunks(a);
    default: return renderTextChunks(a, opts.color ? COLOR : PLAIN);
  }
}

/** The whole report as one string (small analyses, tests, the library). */
export function render(a: Analysis, format: Format, opts: { color?: boolean } = {}): string {
  let s = '';
  for (const c of renderChunks(a, format, opts)) s += c;
  return s;
}
