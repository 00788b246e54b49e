/**
 * Month and weekday words as dmesg -T and syslog print them. dmesg -T uses the C library's locale
 * (strftime %a %b), so a German box prints "[Sa Jun 11 …]" and a French one "[sam. juin 11 …]".
 */
const MONTHS: Record<string, number> = {};
const MONTH_WORDS: string[][] = [
  ['jan', 'jän', 'janv', 'ene', 'gen', 'янв', '1月'],
  ['feb', 'févr', 'fév', 'fev', 'фев', '2月'],
  ['mar', 'mär', 'mars', 'мар', '3月'],
  ['apr', 'avr', 'abr', 'апр', '4月'],
  ['may', 'mai', 'mag', 'mayo', 'май', '5月'],
  ['jun', 'juin', 'giu', 'июн', '6月'],
  ['jul', 'juil', 'lug', 'июл', '7月'],
  ['aug', 'août', 'ago', 'авг', '8月'],
  ['sep', 'sept', 'set', 'сен', '9月'],
  ['oct', 'okt', 'ott', 'out', 'окт', '10月'],
  ['nov', 'ноя', '11月'],
  ['dec', 'dez', 'déc', 'dic', 'дек', '12月'],
];
MONTH_WORDS.forEach((words, i) => words.forEach((w) => (MONTHS[w] = i + 1)));

// Every syslog line asks for its month word: the few words a log uses are looked up once.
const MONTH_MEMO = new Map<string, number | null>();

export function monthNumber(word: string): number | null {
  let n = MONTH_MEMO.get(word);
  if (n === undefined) {
    const w = word.toLowerCase().replace(/\.$/, '');
    n = MONTHS[w] ?? MONTHS[w.slice(0, 3)] ?? null;
    if (MONTH_MEMO.size < 1000) MONTH_MEMO.set(word, n);
  }
  return n;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "2022-06-11T10:21:50" from a year, month and day as numbers and "hh:mm:ss" (syslog's, dmesg -T's). */
export function isoFromNumbers(year: number, month: number, day: number, hms: string): string {
  return `${year}-${pad(month)}-${pad(day)}T${hms}`;
}

/** "2022-06-11T10:21:50" from parts; null when the month word is unknown. */
export function isoFromParts(year: number, monthWord: string, day: number, hms: string): string | null {
  const m = monthNumber(monthWord);
  if (m == null) return null;
  return isoFromNumbers(year, m, day, hms);
}
