/**
 * `npm start`: read the configuration, start the bot, stop cleanly on SIGTERM/SIGINT.
 * A bad setting stops the bot with the variable's name and what to set.
 */
import 'dotenv/config';
import { loadConfig } from '../src/config/index.js';
import { EnrolBotError } from '../src/errors.js';
import { listeningLine } from '../src/server/http.js';
import { startApp } from './app.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const running = await startApp(config);
  process.stdout.write(listeningLine(running.server, config.duo.simulator));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    running.core.logger.info({ signal }, 'shutdown_requested');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof EnrolBotError) {
    process.stderr.write(`enrolbot cannot start: ${err.message}\n`);
  } else {
    process.stderr.write(
      `enrolbot cannot start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  process.exit(1);
});
