import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Logs carry ticket ids and codes, never people (privacy invariant 3). Only the fields
 * named here survive; anything else a caller passes — an address, a header, a payload — is
 * dropped before it is written, so a careless log call cannot leak.
 */
export const LOG_FIELDS = new Set([
  'event',
  // The node's own name (QUIETLINE_NODE_ID): says which process, never who.
  'node',
  'ticket',
  'operator',
  'line',
  'code',
  'status',
  'reason',
  'by',
  'count',
  'durationMs',
  'port',
  'host',
  'mode',
  'errName',
  'errCode',
]);

export function allowListed(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (LOG_FIELDS.has(key) && (typeof value !== 'object' || value === null)) kept[key] = value;
  }
  return kept;
}

/** Describe an error for a log without its message, which might quote input. */
export function errorFields(error: unknown): { errName: string; errCode?: string } {
  const e = error as { name?: unknown; code?: unknown };
  return {
    errName: typeof e?.name === 'string' ? e.name : 'Error',
    ...(typeof e?.code === 'string' ? { errCode: e.code } : {}),
  };
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? 'info',
      base: undefined, // no pid or hostname: nothing about the machine either
      formatters: { log: allowListed, bindings: allowListed },
      hooks: {
        // Messages are fixed strings chosen by us; never let a value be interpolated into them.
        logMethod(args, method) {
          const [first, second] = args as unknown[];
          if (typeof first === 'object' && first !== null) {
            method.apply(this, [first, typeof second === 'string' ? second : ''] as never);
          } else {
            method.apply(this, [typeof first === 'string' ? first : ''] as never);
          }
        },
      },
    },
    options.destination,
  );
  // pino writes a child's bindings on every line without passing them through the log
  // formatter, so filter them on the way in. Children inherit this method from the root.
  const child = logger.child;
  logger.child = function (this: Logger, bindings, childOptions) {
    return child.call(this, allowListed(bindings), childOptions);
  } as Logger['child'];
  return logger;
}

export type { Logger };
