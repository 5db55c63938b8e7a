/**
 * The benchmark's search target in a process of its own, so that the engine's memory and CPU
 * are not counted against the pipeline being measured: serves `startEngineServer` on a free
 * port over the data directory in argv[2], prints `{"url": ...}` on one line, and closes (and
 * flushes) the engine when stdin ends or on SIGTERM.
 *
 *   node --import tsx bench/lib/engine-server.ts <dataDir> [--report-pacing]
 */
import { startEngineServer } from '../../src/engine/index.js';

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: engine-server.ts <dataDir>');
  process.exit(2);
}

const server = await startEngineServer({ dataDir, port: 0, maxBodyBytes: 512 * 1024 * 1024, reportPacing: process.argv.includes('--report-pacing') });
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
