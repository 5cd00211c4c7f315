import { runCli } from './run-cli';

// `npm run cli -- <command>` (run-cli.ts): what scripts capture on stdout, what people read on stderr.
process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
