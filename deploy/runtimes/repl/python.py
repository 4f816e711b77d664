"""Cordon's persistent Python interpreter for session `code` executions.

The agent (cordon-init) writes one JSON line per execution on fd 3: {"code": "...", "stdin": "..."}. The code
runs in one globals dict kept for the life of the session, with stdin replaced by the request's text; output
goes to the real stdout/stderr (streamed by the agent). After flushing both, one JSON line on fd 4 reports
{"ok": true} or {"ok": false} (an uncaught exception, whose traceback went to stderr).
"""
import io
import json
import os
import sys
import traceback

requests = os.fdopen(3, "r", encoding="utf-8")
completions = os.fdopen(4, "w", encoding="utf-8")
namespace = {"__name__": "__main__", "__builtins__": __builtins__}
sys.path.insert(0, os.getcwd())


def run(code: str) -> bool:
    try:
        compiled = compile(code, "<cell>", "exec")
        exec(compiled, namespace)
        return True
    except SystemExit as e:
        return e.code in (None, 0)
    except BaseException:
        kind, value, tb = sys.exc_info()
        # Drop this driver's own frame so the traceback shows only the user's code.
        traceback.print_exception(kind, value, tb.tb_next if tb is not None else None, file=sys.stderr)
        return False


for line in requests:
    request = json.loads(line)
    sys.stdin = io.StringIO(request.get("stdin") or "")
    ok = run(request["code"])
    sys.stdout.flush()
    sys.stderr.flush()
    completions.write(json.dumps({"ok": ok}) + "\n")
    completions.flush()
