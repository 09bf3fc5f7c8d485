import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');

/** Wait for the start banner on stdout; the test ends when it appears, not after a delay. */
function banner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('Opening hours are ignored')) resolve(out);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

describe('Starting Quietline (server/main.ts)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'quietline-start-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a demo without an operators file: prints where to go and demo accounts that can sign in', async () => {
    const child = spawn(tsx, ['server/main.ts'], {
      env: { ...process.env, PORT: '0', QUIETLINE_DEMO: '1', QUIETLINE_OPERATORS: join(dir, 'none.json'), LOG_LEVEL: 'silent' },
    });
    try {
      const out = await banner(child);
      const url = /Visitor \(demo host page\): (http:\/\/[^/]+)\/demo\//.exec(out)?.[1];
      expect(url).to.be.a('string');
      expect(out).to.include(`${url}/console/`);
      const [, id, password] = /^ {2}(demo-nl)\s+(\S+)$/m.exec(out) ?? [];
      expect(id).to.equal('demo-nl');
      const res = await fetch(`${url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: url! },
        body: JSON.stringify({ id, password }),
      });
      expect(res.status).to.equal(200);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stops, naming QUIETLINE_OPERATORS, when the operators file it names is missing, instead of running the demo', () => {
    const result = spawnSync(tsx, ['server/main.ts'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', QUIETLINE_OPERATORS: join(dir, 'typo.json') },
    });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('QUIETLINE_OPERATORS');
    expect(result.stdout).to.not.include('demo');
  });

  it('stops, naming QUIETLINE_ORG_PUBLIC_KEY, when real operators have no organisation key to be certified by', () => {
    const operators = join(dir, 'operators.json');
    writeFileSync(operators, '{"operators":[]}');
    const result = spawnSync(tsx, ['server/main.ts'], {
      encoding: 'utf8',
      env: { ...process.env, PORT: '0', QUIETLINE_OPERATORS: operators, QUIETLINE_ORG_PUBLIC_KEY: join(dir, 'none.pub') },
    });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('QUIETLINE_ORG_PUBLIC_KEY');
  });

  it('stops with a message naming the bad key when the lines config is wrong', () => {
    const lines = join(dir, 'lines.json');
    const config = JSON.parse(spawnSync('cat', ['config/lines.json'], { encoding: 'utf8' }).stdout) as {
      lines: Array<{ hours: Array<{ from: string }> }>;
    };
    config.lines[0]!.hours[0]!.from = '25:00';
    writeFileSync(lines, JSON.stringify(config));
    const result = spawnSync(tsx, ['server/main.ts'], { encoding: 'utf8', env: { ...process.env, PORT: '0', QUIETLINE_LINES: lines } });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.include('lines[0].hours[0].from');
  });
});
