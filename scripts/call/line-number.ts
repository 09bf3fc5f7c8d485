import { readFile } from 'node:fs/promises';

export class LineNumberError extends Error {}

interface LinesFileShape {
  lines?: Array<{ id?: unknown; voice?: { numbers?: unknown } }>;
}

/**
 * The number to call for `lineId`: the first of the line's `voice.numbers` in the lines file,
 * which is how the server knows which line a call is for. Only that much of the file is read;
 * the server validates the whole of it at start.
 */
export async function lineNumber(linesFile: string, lineId: string): Promise<string> {
  let parsed: LinesFileShape;
  try {
    parsed = JSON.parse(await readFile(linesFile, 'utf8')) as LinesFileShape;
  } catch (error) {
    throw new LineNumberError(`${linesFile}: cannot read the lines file (${(error as Error).message})`);
  }
  const lines = Array.isArray(parsed.lines) ? parsed.lines : [];
  const index = lines.findIndex((l) => l.id === lineId);
  const line = lines[index];
  if (!line) {
    const known = lines.map((l) => String(l.id)).join(', ');
    throw new LineNumberError(`${linesFile}: no line "${lineId}" (lines: ${known || 'none'})`);
  }
  const numbers = line.voice?.numbers;
  const first = Array.isArray(numbers) ? numbers[0] : undefined;
  if (typeof first !== 'string' || first === '') {
    throw new LineNumberError(`${linesFile}: line "${lineId}" has no phone number: set lines[${index}].voice.numbers, or call a number with --to`);
  }
  return first;
}
