import { z } from 'zod';
import { ConfigError, createLogger, logLevelSchema, parseConfig } from '@registrar/platform';
import type { Logger } from '@registrar/platform';
import { DeadLetterToolError, createDeadLetterTool } from '../dead-letter-tool.js';
import type {
  DeadLetter,
  DeadLetterDetail,
  DeadLetterTool,
  ReplayAllResult,
  ReplayRecord,
} from '../dead-letter-tool.js';

// `npm run dead-letters -- <command>`: lists, shows and replays the dead letters of a topic.
// Exit codes: 0 done, 1 failed or refused, 2 usage or configuration error.

const HELP = `Usage: npm run dead-letters -- <command>

Commands:
  list <topic>                             List the dead letters of <topic>.dlq
  show <topic> <partition> <offset>        Print one dead letter, value included, as JSON
  replay <topic> <partition> <offset> [--force]
                                           Publish it back to its original topic; --force
                                           replays one that was replayed before
  replay-all <topic>                       Replay every dead letter not replayed before

<topic> is the original topic, e.g. registration.events (not registration.events.dlq).

Environment:
  KAFKA_BROKERS   comma-separated bootstrap brokers, e.g. 127.0.0.1:9092 (required)
  LOG_LEVEL       level of the diagnostic log written to stderr (default warn)
`;

/** A command line that cannot be run as written. */
class UsageError extends Error {
  override name = 'UsageError';
}

type Command =
  | { name: 'help' }
  | { name: 'list' | 'replay-all'; topic: string }
  | { name: 'show'; topic: string; partition: number; offset: string }
  | { name: 'replay'; topic: string; partition: number; offset: string; force: boolean };

const cliConfigSchema = z.object({
  KAFKA_BROKERS: z
    .string({ error: 'is required: set it to the Kafka brokers, e.g. 127.0.0.1:9092' })
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0),
    )
    .pipe(z.array(z.string()).min(1, 'must name at least one broker, e.g. 127.0.0.1:9092')),
  LOG_LEVEL: logLevelSchema.unwrap().default('warn'),
});

/** Parses the arguments after the script name. @throws UsageError */
function parseCommand(args: string[]): Command {
  const force = args.includes('--force');
  const unknownFlag = args.find((arg) => arg.startsWith('-') && arg !== '--force');
  const [name, ...rest] = args.filter((arg) => arg !== '--force');
  if (name === 'help' || args.includes('--help') || args.includes('-h')) {
    return { name: 'help' };
  }
  if (name === undefined) throw new UsageError('Name a command.');
  if (unknownFlag) throw new UsageError(`Unknown option ${unknownFlag}.`);
  if (force && name !== 'replay') throw new UsageError('--force applies to replay only.');

  switch (name) {
    case 'list':
    case 'replay-all':
      return { name, topic: expectArgs(name, rest, 1)[0]! };
    case 'show':
    case 'replay': {
      const [topic, partition, offset] = expectArgs(name, rest, 3);
      const position = { topic: topic!, ...parsePosition(partition!, offset!) };
      return name === 'show' ? { name, ...position } : { name, ...position, force };
    }
    default:
      throw new UsageError(`Unknown command ${name}.`);
  }
}

function expectArgs(command: string, args: string[], count: number): string[] {
  if (args.length !== count) {
    throw new UsageError(`${command} takes ${count} argument(s); got ${args.length}.`);
  }
  if (args[0]!.endsWith('.dlq')) {
    throw new UsageError(`Give the original topic, not the dead-letter topic ${args[0]}.`);
  }
  return args;
}

function parsePosition(partition: string, offset: string): { partition: number; offset: string } {
  if (!/^\d+$/.test(partition) || !Number.isSafeInteger(Number(partition))) {
    throw new UsageError(`The partition must be a whole number; got ${partition}.`);
  }
  if (!/^\d+$/.test(offset)) {
    throw new UsageError(`The offset must be a whole number; got ${offset}.`);
  }
  return { partition: Number(partition), offset: BigInt(offset).toString() };
}

async function runCommand(tool: DeadLetterTool, command: Exclude<Command, { name: 'help' }>) {
  switch (command.name) {
    case 'list':
      return formatTable(command.topic, await tool.list(command.topic));
    case 'show':
      return formatDetail(await tool.show(command.topic, command.partition, command.offset));
    case 'replay':
      return formatReplay(
        await tool.replay(command.topic, command.partition, command.offset, {
          force: command.force,
        }),
      );
    case 'replay-all':
      return formatReplayAll(command.topic, await tool.replayAll(command.topic));
  }
}

const COLUMNS: [string, (letter: DeadLetter) => string][] = [
  ['PARTITION', (letter) => String(letter.partition)],
  ['OFFSET', (letter) => letter.offset],
  ['KEY', (letter) => letter.key],
  ['EVENT', (letter) => letter.event?.type ?? '?'],
  ['EVENT ID', (letter) => letter.event?.id ?? '?'],
  ['ERROR', (letter) => letter.failure.errorCode ?? '?'],
  [
    'ORIGIN',
    ({ failure }) => `${failure.originalPartition ?? '?'}/${failure.originalOffset ?? '?'}`,
  ],
  ['ATTEMPTS', (letter) => String(letter.failure.attempts ?? '?')],
  ['FAILED AT', (letter) => letter.failure.failedAt ?? '?'],
  ['REPLAYED', (letter) => letter.replay?.replayedAt ?? 'no'],
];

/** A table of dead letters: identity and failure only, never payload fields. */
function formatTable(topic: string, letters: DeadLetter[]): string {
  if (letters.length === 0) {
    return `No dead letters on ${topic}.dlq.\n`;
  }

  const rows = [
    COLUMNS.map(([title]) => title),
    ...letters.map((letter) => COLUMNS.map(([, cell]) => printable(cell(letter)))),
  ];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
  const replayed = letters.filter((letter) => letter.replay).length;
  return `${lines.join('\n')}\n\n${letters.length} dead letter(s) on ${topic}.dlq, ${replayed} replayed.\n`;
}

/** Keys and header values come from producers; control characters could rewrite the terminal. */
function printable(cell: string): string {
  // eslint-disable-next-line no-control-regex
  return cell.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function formatDetail(detail: DeadLetterDetail): string {
  const { value, ...rest } = detail;
  const text = value.toString('utf8');
  // Binary values would be garbled as text; base64 keeps them exact.
  const readable = Buffer.from(text, 'utf8').equals(value);
  const output = readable
    ? { ...rest, value: text }
    : { ...rest, value: value.toString('base64'), valueEncoding: 'base64' };
  return `${JSON.stringify(output, null, 2)}\n`;
}

function formatReplay(record: ReplayRecord): string {
  const forced = record.forced ? ' again (forced)' : '';
  return `Replayed ${record.deadLetter}${forced} to ${record.originalTopic} partition ${record.partition} offset ${record.offset}.\n`;
}

function formatReplayAll(topic: string, result: ReplayAllResult): string {
  const lines = [
    ...result.replayed.map(formatReplay),
    ...result.skipped.map(({ deadLetter, reason }) => `Skipped ${deadLetter}: ${reason}.\n`),
  ];
  const summary = `${result.replayed.length} replayed, ${result.skipped.length} skipped on ${topic}.dlq.\n`;
  return `${lines.join('')}${summary}`;
}

/** The CLI's one error boundary: expected refusals print their sentence, the rest are logged. */
function reportFailure(error: unknown, logger: Logger | undefined): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${HELP}`);
    return 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nRun npm run dead-letters -- --help for usage.\n`);
    return 2;
  }
  if (error instanceof DeadLetterToolError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  logger?.error({ err: error }, 'Dead-letter command failed');
  process.stderr.write('The command failed unexpectedly; the log line above has the cause.\n');
  return 1;
}

async function main(args: string[]): Promise<number> {
  let logger: Logger | undefined;
  let tool: DeadLetterTool | undefined;
  try {
    const command = parseCommand(args);
    if (command.name === 'help') {
      process.stdout.write(HELP);
      return 0;
    }

    const config = parseConfig(cliConfigSchema);
    // Diagnostics go to stderr so that stdout holds only the table or the JSON.
    logger = createLogger({
      service: 'dead-letters',
      level: config.LOG_LEVEL,
      destination: process.stderr,
    });
    tool = createDeadLetterTool({ brokers: config.KAFKA_BROKERS, logger });
    process.stdout.write(await runCommand(tool, command));
    return 0;
  } catch (error) {
    return reportFailure(error, logger);
  } finally {
    await tool?.close();
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
