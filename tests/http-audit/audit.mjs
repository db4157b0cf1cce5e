// The graphql-http audit of the GraphQL-over-HTTP specification against a crm server started
// here: every MUST and SHOULD check has to pass (MAY checks are reported, not required).
// Usage: node audit.mjs [path to the crm binary]; it starts `crm serve` on a free port with a
// temporary data folder and stops it afterwards.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { auditServer } from 'graphql-http';

const binary = resolve(process.argv[2] ?? '../../target/debug/crm');

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitReady(url, child) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`crm exited early (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('crm did not become ready');
}

const data = mkdtempSync(join(tmpdir(), 'crm-audit-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn(binary, ['serve'], {
  env: { PATH: process.env.PATH, CRM_DATA_DIR: data, CRM_BIND: `127.0.0.1:${port}`, CRM_SEED_DEMO: 'false', CRM_LOG: 'warn' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let failed = 0;
let passed = 0;
try {
  await waitReady(base, child);
  const results = await auditServer({ url: `${base}/graphql` });
  for (const result of results) {
    if (result.status === 'ok') {
      passed++;
    } else if (result.status === 'notice') {
      passed++;
      console.log(`may not: ${result.name} (${result.reason})`);
    } else {
      failed++;
      console.log(`FAILED (${result.status === 'error' ? 'MUST' : 'SHOULD'}): ${result.name}: ${result.reason}`);
    }
  }
} catch (error) {
  failed++;
  console.log(`FAILED: ${error.message}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(data, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
