// Cordon's persistent JavaScript interpreter for session `code` executions.
//
// The agent (cordon-init) writes one JSON line per execution on fd 3: {"code": "...", "stdin": "..."}. Code
// runs as a script in one vm context kept for the life of the session, so top-level `var`, `let`, `const`,
// functions and classes persist between executions; a returned promise is awaited. After stdout and stderr
// drain, one JSON line on fd 4 reports {"ok": true} or {"ok": false} (an uncaught error, printed to stderr).
'use strict';
const fs = require('fs');
const vm = require('vm');
const readline = require('readline');

const sandbox = {
  console, require, process, Buffer, URL, URLSearchParams, TextEncoder, TextDecoder,
  setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, queueMicrotask,
  structuredClone, fetch: globalThis.fetch, __stdin: '',
};
sandbox.globalThis = sandbox;
const context = vm.createContext(sandbox);
const completions = fs.createWriteStream(null, { fd: 4 });

function drained(stream) {
  return new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.once('drain', resolve)));
}

async function run(code, stdin) {
  sandbox.__stdin = stdin;
  try {
    const result = new vm.Script(code, { filename: 'cell.js' }).runInContext(context);
    if (result && typeof result.then === 'function') {
      await result;
    }
    return true;
  } catch (error) {
    process.stderr.write((error && error.stack ? error.stack : String(error)) + '\n');
    return false;
  }
}

const lines = readline.createInterface({ input: fs.createReadStream(null, { fd: 3 }), crlfDelay: Infinity });
(async () => {
  for await (const line of lines) {
    const request = JSON.parse(line);
    const ok = await run(request.code, request.stdin || '');
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    completions.write(JSON.stringify({ ok }) + '\n');
  }
})();
