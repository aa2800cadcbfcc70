import { spawn } from 'node:child_process';

/**
 * `npm test`: every check in one command. First two lanes side by side (the machine has two
 * cores): typecheck then the web build (both run `svelte-kit sync`, so never at once), and
 * lint then the unit tier. Then the integration tier (real Postgres and RabbitMQ, two forks of
 * its own) and the browser tests (they need the web build), one after the other because each
 * fills the machine by itself. `svelte-kit sync` runs first, alone: the unit tier reads the
 * tsconfig it generates, and typecheck would be rewriting it meanwhile. Every step runs even
 * when an earlier one failed, so one run reports everything; the exit code is non-zero when
 * any failed.
 */
const stages: string[][][] = [
  [['sync:web']],
  [
    ['typecheck', 'build:web'],
    ['lint', 'test:unit'],
  ],
  [['test:integration']],
  [['test:e2e']],
];

interface Outcome {
  script: string;
  ok: boolean;
  seconds: number;
}

function run(script: string, buffered: boolean): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    const output: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', (code) => {
      const outcome = { script, ok: code === 0, seconds: (Date.now() - started) / 1000 };
      if (buffered) {
        process.stdout.write(`\n── ${script} (${outcome.ok ? 'ok' : 'FAILED'}, ${outcome.seconds.toFixed(0)} s) ──\n`);
        process.stdout.write(Buffer.concat(output));
      }
      resolve(outcome);
    });
  });
}

/** Lanes run side by side, the scripts of a lane one after the other; a lone script streams its output live. */
async function runStage(lanes: string[][]): Promise<Outcome[]> {
  const buffered = lanes.length > 1;
  const outcomes: Outcome[] = [];
  await Promise.all(
    lanes.map(async (lane) => {
      for (const script of lane) outcomes.push(await run(script, buffered));
    }),
  );
  return outcomes;
}

const outcomes: Outcome[] = [];
for (const stage of stages) outcomes.push(...(await runStage(stage)));

console.log('\n' + outcomes.map((o) => `${o.ok ? 'ok    ' : 'FAILED'} ${o.script.padEnd(18)} ${o.seconds.toFixed(0).padStart(5)} s`).join('\n'));
process.exit(outcomes.every((o) => o.ok) ? 0 : 1);
