import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { AppConfig } from '../config/app-config.js';
import type { LineConfig } from '../config/lines-config.js';
import type { Store } from '../store/store.js';
import type { Outbox } from './outbox.js';

/** What the relay's parts share: built once per app by createApp. */
export interface RelayContext {
  config: AppConfig;
  store: Store;
  clock: Clock;
  logger: Logger;
  outbox: Outbox;
  line(id: string): LineConfig | undefined;
}
