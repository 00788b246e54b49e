import type { Analysis } from '../model/analysis.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { renderText } from './text.js';
import { COLOR, PLAIN } from './style.js';

export const FORMATS = ['text', 'json', 'md'] as const;
export type Format = (typeof FORMATS)[number];

export function render(a: Analysis, format: Format, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'json': return renderJson(a);
    case 'md': return renderMarkdown(a);
    default: return renderText(a, opts.color ? COLOR : PLAIN);
  }
}
