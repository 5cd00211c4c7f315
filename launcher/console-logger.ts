import { join } from 'node:path';
import type { LogEntry } from '@temporalio/worker';
import pino, { type DestinationStream, type Logger, type TransportTargetOptions } from 'pino';

/**
 * `npm start`'s logs: on the console, one readable line per request and the warnings (in colour on a terminal);
 * in DATA_DIR/logs/, every record as JSON, in files rotated at 10 MB (the last five kept). LOG_FORMAT=json keeps
 * JSON on the console too. `npm run api` and `npm run worker` log JSON to stdout, as production collectors expect.
 */
export function launcherLogger(options: { dataDir: string; level: string; format: 'pretty' | 'json' }): Logger {
  const console: TransportTargetOptions =
    options.format === 'json'
      ? { target: 'pino/file', level: options.level, options: { destination: 1 } }
      : {
          target: 'pino-pretty',
          level: options.level,
          options: {
            colorize: process.stdout.isTTY === true,
            translateTime: 'SYS:HH:MM:ss',
            // A request's fields are in its message ("GET /requests 200 12 ms demo-monitor"); the files keep them all.
            ignore: 'pid,hostname,reqId,method,path,statusCode,responseTime,caller',
            singleLine: true,
          },
        };
  const files: TransportTargetOptions = {
    target: 'pino-roll',
    level: options.level,
    options: { file: join(options.dataDir, 'logs', 'system'), extension: '.log', size: '10m', limit: { count: 5 }, mkdir: true },
  };
  // pino.transport is typed `any`: it is a stream that a worker thread writes the records from.
  const destination = pino.transport({ targets: [console, files] }) as DestinationStream;
  return pino({ level: options.level }, destination);
}

/** The worker's log entries (the SDK's, its native core's included) as records of `logger`, marked as the worker's. */
export function workerLogTo(logger: Logger): (entry: LogEntry) => void {
  const worker = logger.child({ component: 'worker' });
  return (entry) => {
    const level = entry.level === 'ERROR' ? 'error' : entry.level === 'WARN' ? 'warn' : entry.level === 'DEBUG' || entry.level === 'TRACE' ? 'debug' : 'info';
    worker[level](entry.meta ?? {}, entry.message);
  };
}
