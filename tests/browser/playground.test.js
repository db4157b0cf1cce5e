// Browser test: the GraphiQL playground works with no network, and a page on another origin
// can call the API (CORS). Starts `crm serve` itself on a free port with a scratch data folder
// (development mode seeds the demo organization), drives Debian's Chromium with playwright-core,
// and aborts every request to a host other than 127.0.0.1; any such attempt fails the run.
//
// Run it with ./run.sh, or `node --test playground.test.js` once the binary is built.
// CRM_BIN overrides the binary (default: <repo>/target/debug/crm, or $CARGO_TARGET_DIR/debug/crm).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { chromium } from 'playwright-core';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin =
  process.env.CRM_BIN ?? join(resolve(repo, process.env.CARGO_TARGET_DIR ?? 'target'), 'debug/crm');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

const DEMO_EMAIL = 'admin@demo.example';
const DEMO_PASSWORD = 'demo-password-1';
// Named operations: GraphiQL titles its tab with the name, which tells when it took an edit in.
const LOGIN = `mutation SignIn { login(data: { email: "${DEMO_EMAIL}", password: "${DEMO_PASSWORD}" }) { token } }`;
const ME_AND_CONTACTS = `query MeAndContacts { me { email fullName role } contacts(first: 5) { totalCount edges { node { id firstName lastName email } } } }`;
const TAG_CHANGES = `subscription TagChanges { auditLogCreated(entityType: "Tag") { action entityType } }`;

/** A hang fails its test instead of the run (browser steps have their own, shorter limits). */
const slow = { timeout: 120_000 };

/** Requests (and WebSockets) the pages tried to send anywhere but 127.0.0.1. */
const outside = [];

let server; // the crm under test: { url, stop }
let browser;
let context;

/** A port nobody listens on right now. */
async function freePort() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Starts `crm serve` on a fresh data folder and waits for GET /readyz = 200. */
async function startCrm(extraEnv = {}) {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'crm-browser-'));
  // A clean environment: a developer's DATABASE_URL or CRM_* must not leak into the test.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('CRM_') && k !== 'DATABASE_URL'),
  );
  Object.assign(env, {
    CRM_DATA_DIR: dataDir,
    CRM_BIND: `127.0.0.1:${port}`,
    CRM_LOG: 'warn',
    ...extraEnv,
  });
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  // Migrations and demo seeding on a debug build can take a while.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`crm serve exited with ${child.exitCode}:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return { url, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`crm serve was not ready within 120 s:\n${output}`);
}

/** Polls `ready` for up to 10 s; fails with `explain()` if it never holds. */
async function waitUntil(ready, explain) {
  const deadline = Date.now() + 10_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(explain());
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** POSTs a GraphQL document from Node (no browser involved). */
async function graphql(query, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function login() {
  return (await graphql(LOGIN)).login.token;
}

/** The text of one of GraphiQL's CodeMirror editors (query, headers, response). */
function editorValue(page, selector) {
  return page.$eval(`${selector} .CodeMirror`, (el) => el.CodeMirror.getValue());
}

/** Replaces an editor's text the way a user pastes it: select all, then insert. */
async function typeInto(page, selector, text) {
  await page.click(`${selector} .CodeMirror-lines`);
  await page.keyboard.press('Control+A');
  // insertText is one input event, so CodeMirror's bracket auto-closing does not interfere.
  await page.keyboard.insertText(text);
  assert.equal(await editorValue(page, selector), text);
}

/**
 * Puts a named operation in the query editor. GraphiQL parses edits after a short delay and
 * runs what it parsed last, so wait until the tab title shows the new operation's name.
 */
async function typeOperation(page, text) {
  await typeInto(page, '.graphiql-query-editor', text);
  const name = /^(?:query|mutation|subscription) (\w+)/.exec(text)[1];
  await page.waitForFunction(
    (title) => document.querySelector('.graphiql-tab-active .graphiql-tab-button')?.textContent === title,
    name,
    { timeout: 5_000 },
  );
}

/** Clicks the run button and waits for the response pane to change and be JSON. */
async function run(page) {
  const before = await editorValue(page, '.graphiql-response');
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    (previous) => {
      const value = document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue();
      if (!value || value === previous) return false;
      try {
        JSON.parse(value);
        return true;
      } catch {
        return false;
      }
    },
    before,
    { timeout: 15_000 },
  );
  return JSON.parse(await editorValue(page, '.graphiql-response'));
}

before(async () => {
  server = await startCrm();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  context = await browser.newContext();
  // No network but this machine: anything else is aborted and counted.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  // context.route does not see WebSockets; count those separately.
  context.on('page', (page) =>
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).hostname !== '127.0.0.1') outside.push(ws.url());
    }),
  );
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the playground files are served from the binary, cacheable', slow, async () => {
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  const html = await page.text();
  assert.doesNotMatch(html, /https?:\/\//, 'the page must not load anything from another host');

  for (const [file, type] of [
    ['graphiql.min.js', /^text\/javascript/],
    ['graphiql.min.css', /^text\/css/],
    ['react.production.min.js', /^text\/javascript/],
    ['react-dom.production.min.js', /^text\/javascript/],
  ]) {
    assert.match(html, new RegExp(`/graphiql/${file.replaceAll('.', '\\.')}`));
    const response = await fetch(`${server.url}/graphiql/${file}`);
    assert.equal(response.status, 200, file);
    assert.match(response.headers.get('content-type'), type, file);
    assert.match(response.headers.get('cache-control'), /max-age=31536000/, file);
  }

  const missing = await fetch(`${server.url}/graphiql/nope.js`);
  assert.equal(missing.status, 404);
  assert.equal((await missing.json()).errors[0].extensions.code, 'NOT_FOUND');
});

test('GraphiQL signs in and runs a query offline', slow, async () => {
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });

  // The default document explains signing in and holds a real query.
  const intro = await editorValue(page, '.graphiql-query-editor');
  assert.match(intro, /login\(data:/);
  assert.match(intro, /contacts\(first: 5\)/);

  // Sign in through the UI: run the login mutation, read the token from the result pane.
  await typeOperation(page, LOGIN);
  const signedIn = await run(page);
  const token = signedIn.data?.login?.token;
  assert.ok(token, `login answered ${JSON.stringify(signedIn)}`);

  // The Headers tab is open by default; its editor is the visible one in the tools pane.
  await page.click('button:has-text("Headers")');
  const headers = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
  await typeInto(page, headers, JSON.stringify({ Authorization: `Bearer ${token}` }));

  await typeOperation(page, ME_AND_CONTACTS);
  const result = await run(page);
  assert.equal(result.errors, undefined, JSON.stringify(result.errors));
  assert.equal(result.data.me.email, DEMO_EMAIL);
  assert.ok(result.data.contacts.totalCount > 0, 'the demo organization has contacts');
  assert.match(await editorValue(page, '.graphiql-response'), /admin@demo\.example/);

  await page.screenshot({ path: join(tmpdir(), 'crm-graphiql.png') });
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test('GraphiQL subscriptions run over the WebSocket with the Headers tab token', slow, async () => {
  const token = await login();
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 20_000 });
  await page.click('button:has-text("Headers")');
  await typeInto(
    page,
    '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
    JSON.stringify({ Authorization: `Bearer ${token}` }),
  );
  await typeOperation(page, TAG_CHANGES);

  // Wait until GraphiQL's client has sent its subscribe message, then cause an event. The
  // listeners are attached in the 'websocket' handler itself so that no frame slips past.
  const frames = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (frame) => frames.push(`sent ${frame.payload}`));
    ws.on('framereceived', (frame) => frames.push(`received ${frame.payload}`));
    ws.on('close', () => frames.push('closed'));
  });
  await page.click('.graphiql-execute-button');
  await waitUntil(
    () => frames.some((frame) => frame.startsWith('sent') && frame.includes('"subscribe"')),
    () => `no subscribe message went out; WebSocket frames: ${JSON.stringify(frames)}`,
  );
  await graphql(`mutation { createTag(data: { name: "browser test ${Date.now()}" }) { id } }`, token);

  await page.waitForFunction(
    () =>
      /"entityType": "Tag"/.test(
        document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue() ?? '',
      ),
    null,
    { timeout: 15_000 },
  );
  await page.close();
});

test('a page on another origin can call the API (CORS)', slow, async () => {
  const token = await login();
  // The other origin: a tiny page on another port whose script POSTs to the API.
  const site = createServer((request, response) => {
    const config = JSON.stringify({ api: `${server.url}/graphql`, token, query: ME_AND_CONTACTS });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!DOCTYPE html><title>CORS client</title><pre id="result">waiting</pre>
<script>
  const { api, token, query } = ${config};
  const show = (text) => (document.getElementById('result').textContent = text);
  fetch(api, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
    body: JSON.stringify({ query }),
  })
    .then((r) => r.text())
    .then((body) => show('done: ' + body), (error) => show('failed: ' + error));
</script>`);
  });
  site.listen(0, '127.0.0.1');
  await once(site, 'listening');
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    await page.waitForFunction(() => document.getElementById('result').textContent !== 'waiting', null, {
      timeout: 15_000,
    });
    const text = await page.textContent('#result');
    assert.match(text, /^done: /, `the cross-origin fetch ${text}`);
    const body = JSON.parse(text.slice('done: '.length));
    assert.equal(body.data?.me?.email, DEMO_EMAIL, text);
    await page.close();
  } finally {
    site.close();
  }
});

test('with the playground off, / and its files are a JSON 404', slow, async () => {
  const production = await startCrm({
    CRM_ENV: 'production',
    CRM_JWT_SECRET: 'browser-test-secret-of-at-least-32-bytes',
  });
  try {
    for (const path of ['/', '/graphiql/graphiql.min.js']) {
      const response = await fetch(`${production.url}${path}`);
      assert.equal(response.status, 404, path);
      const body = await response.json();
      assert.equal(body.errors[0].extensions.code, 'NOT_FOUND', path);
    }
  } finally {
    await production.stop();
  }
});

test('no page tried to reach another host', () => {
  assert.deepEqual(outside, []);
});
