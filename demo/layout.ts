/** The demo's screen: every line at most WIDTH columns, broken between words, never inside one. */
export const WIDTH = 120;

/** Where a long token may be broken when it alone is wider than a line (full bodies in --verbose). */
const BREAK_AFTER = /(?<=[/,&?=:])/;

/** A word too long for any line, in pieces that fit: after punctuation where it has some, else every `room` characters. */
function pieces(word: string, room: number): string[] {
  if (word.length <= room) return [word];
  const parts: string[] = [];
  let current = '';
  for (const part of word.split(BREAK_AFTER).flatMap((p) => p.match(new RegExp(`.{1,${room}}`, 'gu')) ?? [])) {
    if (current && current.length + part.length > room) {
      parts.push(current);
      current = '';
    }
    current += part;
  }
  return [...parts, current];
}

/** `first` then `text`, wrapped at spaces; continuation lines start with `indent`. */
export function wrap(first: string, text: string, indent: string, width = WIDTH): string[] {
  const lines: string[] = [];
  let line = first;
  let lineHasWord = false;
  for (const word of text.split(' ').flatMap((w) => pieces(w, width - indent.length))) {
    const separator = lineHasWord ? ' ' : '';
    if (lineHasWord && line.length + separator.length + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += separator + word;
    }
    lineHasWord = true;
  }
  return [...lines, line];
}

/** The time and who-talks-to-whom columns of a timeline line. */
const WHO_WIDTH = 21;
export const TIMELINE_INDENT = ' '.repeat(2 + 7 + 2 + WHO_WIDTH + 2);

export function timelineLines(seconds: number, who: string, text: string): string[] {
  return wrap(`  ${`+${seconds.toFixed(2)}s`.padStart(7)}  ${who.padEnd(WHO_WIDTH)}  `, text, TIMELINE_INDENT);
}

/** Where bodies start under their line: close to the margin, so that long IDs fit. */
export const BODY_INDENT = '    ';

/** A JSON body under its line, for --verbose and the log file. */
export function bodyLines(label: string, body: unknown, indent: string, width: number): string[] {
  if (body === undefined || body === '') return [];
  const json = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  return [`${indent}${label}:`, ...json.split('\n').flatMap((line) => {
    const leading = /^ */.exec(line)![0];
    return wrap(`${indent}  ${leading}`, line.trimStart(), `${indent}  ${leading}  `, width);
  })];
}
