import type { Router } from 'express';
import type { OperatorId } from '../../protocol/ids.js';
import { announceSessionEvent } from '../auth/session-events.js';
import type { Sessions } from '../auth/sessions.js';
import type { Bus } from '../bus/bus.js';
import type { AppConfig } from '../config/app-config.js';
import type { Logger } from '../logging.js';
import { AccountAdmin } from './account-admin.js';
import { accountRoutes } from './account-routes.js';
import type { AccountDirectory } from './directory.js';

export interface AccountsModuleDeps {
  config: AppConfig;
  sessions: Sessions;
  directory: AccountDirectory;
  bus: Bus;
  prefix: string;
  logger: Logger;
}

/** Account changes, announced to every node (auth/session-events.ts), as `npm run operators` does. */
export function accountChanges(bus: Bus, prefix: string, logger: Logger): (operator: OperatorId) => Promise<void> {
  return (operator) => announceSessionEvent(bus, prefix, { type: 'account-changed', operator }, logger);
}

/** The admin's account management: what createApp mounts. */
export function accountsModule({ config, sessions, directory, bus, prefix, logger }: AccountsModuleDeps): Router {
  const admin = new AccountAdmin(directory, config.lines, accountChanges(bus, prefix, logger));
  return accountRoutes({ config, sessions, directory, admin, logger });
}
