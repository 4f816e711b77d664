'use strict';
// Persistent Node.js REPL driver for cordon-init.
//
// Requests arrive on fd 3 as JSON lines {"code": "...", "stdin": "..."}; after running each one the driver
// writes {"ok": true|false} as one JSON line to fd 4 (stdout/stderr writes to pipes are synchronous on Linux,
// so everything printed is already in the pipes). State lives in one vm context: top-level let/const/class
// declarations of a vm.Script persist across Scripts in the same context, as in the node REPL. A promise as
// the last value is awaited; code using top-level await runs wrapped in an async function instead (its
// declarations then stay local to that cell). Nothing but what the code prints reaches stdout.
const fs = require('fs');
const readline = require('readline');
const vm = require('vm');

const sandbox = {
  console, require, process, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder, AbortController,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  structuredClone, atob, btoa, performance, fetch: globalThis.fetch,
  module: { exports: {} }, __filename: '<cell>', __dirname: process.cwd(),
};
sandbox.exports = sandbox.module.exports;
sandbox.stdin = '';
const context = vm.createContext(sandbox);

function report(error) {
  const text = error && error.stack ? error.stack : String(error);
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
}

process.on('uncaughtException', report);
process.on('unhandledRejection', report);

function compile(code) {
  try {
    return new vm.Script(code, { filename: '<cell>' });
  } catch (error) {
    if (error instanceof SyntaxError && /await/.test(String(error.message)) && /\bawait\b/.test(code)) {
      return new vm.Script(`(async () => {\n${code}\n})()`, { filename: '<cell>', lineOffset: -1 });
    }
    throw error;
  }
}

async function run(request) {
  sandbox.stdin = request.stdin || '';
  try {
    const result = compile(request.code || '').runInContext(context);
    if (result && typeof result.then === 'function') {
      await result;
    }
    return true;
  } catch (error) {
    report(error);
    return false;
  }
}

async function main() {
  const lines = readline.createInterface({ input: fs.createReadStream(null, { fd: 3 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) {
      continue;
    }
    const ok = await run(JSON.parse(line));
    fs.writeSync(4, JSON.stringify({ ok }) + '\n');
  }
  process.exit(0);
}

main();
