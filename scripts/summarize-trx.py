"""Adds up the TRX files of a test run and prints 'N passed, N failed[, N skipped]'; exits 1 on any failure.

Each failed test is named above that line with the start of its message (for an assertion, its expected and
actual values), so the tail of a CI log says which and why.

Usage: summarize-trx.py RESULTS_DIR [PROJECT_NAME...]: a named project without a TRX (it crashed or did not
build) counts as one failure.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
failures = []
files = sorted(pathlib.Path(sys.argv[1]).glob("*.trx"))
for trx in files:
    root = ET.parse(trx).getroot()
    for result in root.iter(f"{NS}UnitTestResult"):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = (result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or "").strip()
            lines = [line.strip()[:240] for line in message.splitlines() if line.strip()][:4] or ["(no message)"]
            failures.append(f"FAILED {trx.stem}: {result.get('testName')}: " + "\n    ".join(lines))
    counters = root.find(f"{NS}ResultSummary/{NS}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
missing = [name for name in sys.argv[2:] if not (pathlib.Path(sys.argv[1]) / f"{name}.trx").exists()]
for name in missing:
    print(f"{name}: no test report (it crashed or did not run)")
failed += len(missing)
if not files and not missing:
    failed += 1
for failure in failures:
    print(failure)
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
