"""Persistent Python REPL driver for cordon-init.

Requests arrive on fd 3 as JSON lines {"code": "...", "stdin": "..."}; after running each one (and flushing
stdout and stderr) the driver writes {"ok": true|false} as one JSON line to fd 4. State lives in one globals
dict, like notebook cells. Output is exactly what the code prints; uncaught exceptions print a traceback
(without this driver's frames) to stderr.
"""
import io
import json
import os
import sys
import traceback


def run(code, namespace):
    try:
        compiled = compile(code, "<cell>", "exec")
    except SyntaxError as error:
        sys.stderr.write("".join(traceback.format_exception_only(type(error), error)))
        return False
    try:
        exec(compiled, namespace)
        return True
    except SystemExit as exit_request:
        return exit_request.code in (None, 0)
    except BaseException as error:  # noqa: BLE001 - everything the cell raises is reported, nothing kills the driver
        tb = error.__traceback__.tb_next if error.__traceback__ is not None else None
        sys.stderr.write("".join(traceback.format_exception(type(error), error, tb)))
        return False


def main():
    requests = os.fdopen(3, "r", encoding="utf-8")
    completions = os.fdopen(4, "w", encoding="utf-8")
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        stdin = (request.get("stdin") or "").encode("utf-8")
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        ok = run(request.get("code") or "", namespace)
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a cell may have replaced or closed a stream
                pass
        completions.write(json.dumps({"ok": ok}) + "\n")
        completions.flush()


if __name__ == "__main__":
    main()
