import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, ERRORS, isErrorCode } from '../../protocol/errors.js';

/**
 * docs/errors.md is the list people read; protocol/errors.ts is the list the code uses.
 * This keeps them equal: every registry code has exactly one row, no row names a code the
 * registry lacks, and each row's HTTP status and close code are the registry's.
 */
const docPath = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

interface Row {
  code: string;
  status: string;
  close: string;
}

function rows(markdown: string): Row[] {
  return markdown
    .split('\n')
    .filter((line) => /^\| `(ERR_[A-Z_]+)` \|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((cell) => cell.trim());
      // cells[0] is the empty text before the first pipe.
      return { code: /^`(ERR_[A-Z_]+)`$/.exec(cells[1] ?? '')?.[1] ?? '', status: cells[2] ?? '', close: cells[3] ?? '' };
    });
}

describe('docs/errors.md', () => {
  const documented = rows(readFileSync(docPath, 'utf8'));

  it('has a row for every code in protocol/errors.ts and none for codes it lacks', () => {
    const codes = documented.map((r) => r.code);
    expect([...codes].sort()).to.deep.equal([...ERROR_CODES].sort());
    expect(codes.filter((c) => !isErrorCode(c))).to.deep.equal([]);
  });

  it('lists each code once', () => {
    const codes = documented.map((r) => r.code);
    expect(codes.filter((c, i) => codes.indexOf(c) !== i)).to.deep.equal([]);
  });

  it("gives each code the registry's HTTP status", () => {
    const wrong = documented
      .filter((r) => isErrorCode(r.code) && r.status !== String(ERRORS[r.code].status))
      .map((r) => `${r.code}: doc says ${r.status}, registry says ${isErrorCode(r.code) ? ERRORS[r.code].status : '?'}`);
    expect(wrong).to.deep.equal([]);
  });

  it("gives each code the registry's close code, or — when it leaves the socket open", () => {
    const wrong = documented
      .filter((r) => isErrorCode(r.code))
      .filter((r) => {
        const close = (ERRORS[r.code as keyof typeof ERRORS] as { close?: number }).close;
        return r.close !== (close === undefined ? '—' : String(close));
      })
      .map((r) => `${r.code}: doc says ${r.close}`);
    expect(wrong).to.deep.equal([]);
  });
});
