import { existsSync } from 'node:fs';
import { ConfigError } from './lines-config.js';
import type { Settings } from './settings.js';

export interface RunModeInputs {
  /** QUIETLINE_DEMO: true forces the demo, false forbids it, undefined decides by the file. */
  demo: boolean | undefined;
  /** Whether QUIETLINE_OPERATORS was set, rather than defaulted. */
  operatorsPathSet: boolean;
  operatorsPath: string;
  operatorsFileExists: boolean;
  /** Whether the accounts are in Redis (REDIS_URL or REDIS_CLUSTER_NODES): no file needed. */
  sharedStore?: boolean;
}

/**
 * Demo or real accounts. The demo turns off the Secure cookie and opening hours and prints
 * passwords, so it must never start by accident: a named operators file that is missing (a
 * typo, a volume not mounted) stops start-up instead of falling back to it.
 */
export function runMode(inputs: RunModeInputs): 'demo' | 'configured' {
  if (inputs.demo === true) return 'demo';
  if (inputs.operatorsFileExists || inputs.sharedStore) return 'configured';
  if (inputs.demo === undefined && !inputs.operatorsPathSet) return 'demo';
  throw new ConfigError(
    `environment: QUIETLINE_OPERATORS: no operators file at ${inputs.operatorsPath} (create it with \`npm run operators -- add …\`, or set QUIETLINE_DEMO=1 for the demo)`,
  );
}

/** The mode this environment asks for: what main.ts runs and what the browser build bakes. */
export function runModeOf(settings: Settings, env: NodeJS.ProcessEnv): 'demo' | 'configured' {
  return runMode({
    demo: settings.QUIETLINE_DEMO,
    operatorsPathSet: env.QUIETLINE_OPERATORS !== undefined,
    operatorsPath: settings.QUIETLINE_OPERATORS,
    operatorsFileExists: existsSync(settings.QUIETLINE_OPERATORS),
    sharedStore: Boolean(settings.REDIS_URL || settings.REDIS_CLUSTER_NODES?.trim()),
  });
}
