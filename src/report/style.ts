/**
 * Colour only when asked: the CLI asks on a TTY and not under NO_COLOR. Plain SGR codes, because
 * util.styleText in Node 20.19+ checks the TTY itself and cannot be told the CLI already decided.
 */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const plain = (s: string): string => s;
const sgr = (on: number, off: number) => (s: string): string => `\x1b[${on}m${s}\x1b[${off}m`;
export const PLAIN: Style = { bold: plain, dim: plain, red: plain, yellow: plain, cyan: plain };
export const COLOR: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
