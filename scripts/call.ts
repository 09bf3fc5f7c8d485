/**
 * Play Twilio's side of a phone call against a running Quietline: `npm run call -- --line <id>`.
 * The voice path (menus, queue, wait announcements, the simulated bridge to a console) can be
 * tried without a Twilio account. See `--help`.
 */
import { parseArgs } from 'node:util';
import { parseDigits, scriptedIo, type ScriptedIo } from './call/call-io.js';
import { LineNumberError, lineNumber } from './call/line-number.js';
import { simulateCall } from './call/simulator.js';
import { terminalIo, type TerminalIo } from './call/terminal-io.js';
import { TwimlError } from './call/twiml.js';
import { WebhookFailed } from './call/webhooks.js';
import { DEMO_VOICE_AUTH_TOKEN } from '../server/voice/demo-token.js';

const USAGE = `Usage: npm run call -- --line <id> [options]

Calls a running Quietline as Twilio would (signed webhooks, TwiML followed verb by verb),
so the phone path can be tried without a Twilio account. On a terminal, press keys for the
menus; h or Ctrl-C hangs up (Enter too, while waiting or connected).

  --line <id>          the line to call: its first lines[].voice.numbers in the lines file
                       (QUIETLINE_LINES, default config/lines.json)
  --to <number>        call this number instead of the line's
  --from <number>      the caller's number (default +32470000000)
  --base <url>         the server's public base URL, exactly as the server has it (default
                       PUBLIC_BASE_URL, else http://127.0.0.1:8080 from HOST and PORT, as
                       npm start does)
  --digits <keys>      scripted keys, one per key request, comma-separated; - is no input
                       (e.g. --digits 2,1,-). Used instead of the keyboard, and always when
                       standard input is not a terminal (no keys then: every menu times out)
  --hangup-after <s>   scripted: hang up this many seconds after entering the queue
  --speed <n>          run call time n times faster (pauses, menu timeouts); default 1
  --help               this text

Requests are signed with TWILIO_AUTH_TOKEN, else the demo's token. Exits 0 when the call
ends, 1 when the server answers an error or sends TwiML the simulator cannot play.`;

class UsageError extends Error {}

/**
 * Where a local `npm start` is, by the rule server/main.ts uses for the demo's public base
 * (HOST, PORT), unless PUBLIC_BASE_URL says. It must be the very URL the server checks
 * signatures against: http://localhost:8080 would be refused by a server on 127.0.0.1:8080.
 */
function defaultBase(env: NodeJS.ProcessEnv): string {
  if (env.PUBLIC_BASE_URL) return env.PUBLIC_BASE_URL;
  const host = env.HOST || '127.0.0.1';
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${env.PORT || '8080'}`;
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name}: "${value}" is not a positive number`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      line: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      base: { type: 'string' },
      digits: { type: 'string' },
      'hangup-after': { type: 'string' },
      speed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.line === undefined && values.to === undefined) throw new UsageError('--line <id> (or --to <number>) is required');
  const to = values.to ?? (await lineNumber(process.env.QUIETLINE_LINES ?? 'config/lines.json', values.line!));
  const speed = positive(values.speed, 'speed');
  const hangUpAfterSeconds = positive(values['hangup-after'], 'hangup-after');
  const scripted = values.digits !== undefined || !process.stdin.isTTY;
  const keys = values.digits === undefined ? [] : parseDigits(values.digits);

  const io: ScriptedIo | TerminalIo = scripted ? scriptedIo(keys, (line) => console.log(line)) : terminalIo();
  // A scripted call hangs up on the first Ctrl-C, as a caller would; a second one just stops.
  const onSigint = () => {
    if ('hangUp' in io) io.hangUp();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    await simulateCall(
      {
        base: values.base ?? defaultBase(process.env),
        authToken: process.env.TWILIO_AUTH_TOKEN ?? DEMO_VOICE_AUTH_TOKEN,
        to,
        from: values.from,
        speed,
        hangUpAfterSeconds,
      },
      io,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    if ('close' in io) io.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof WebhookFailed) {
      console.error(`The server answered ${error.status} (${error.code}) to ${error.url}`);
      if (error.code === 'ERR_BAD_SIGNATURE') {
        console.error('Signatures cover the URL: --base must be the server\'s public base URL exactly, and TWILIO_AUTH_TOKEN its token (unset for the demo).');
      }
    } else if (error instanceof UsageError || error instanceof LineNumberError || error instanceof TwimlError) {
      console.error(error.message);
      if (error instanceof UsageError) console.error('See npm run call -- --help');
    } else if (error instanceof TypeError && error.message === 'fetch failed') {
      const cause = (error as { cause?: unknown }).cause;
      console.error(`Could not reach the server: ${cause instanceof Error ? cause.message : error.message} (is it running? --base)`);
    } else {
      console.error(error instanceof Error ? error.message : String(error));
    }
    process.exit(1);
  },
);
