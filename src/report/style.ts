import { styleText } from 'node:util';

/** Colour only when asked (the CLI asks on a TTY, and not under NO_COLOR). */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain = (s: string): string => s;
export const PLAIN: Style = { bold: plain, dim: plain, red: plain, yellow: plain, cyan: plain };
export const COLOR: Style = {
  bold: (s) => styleText('bold', s),
  dim: (s) => styleText('dim', s),
  red: (s) => styleText('red', s),
  yellow: (s) => styleText('yellow', s),
  cyan: (s) => styleText('cyan', s),
};
