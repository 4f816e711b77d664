"""Adds up the TRX files of a test run and prints 'N passed, N failed[, N skipped]'; exits 1 on any failure.

Usage: summarize-trx.py RESULTS_DIR [PROJECT_NAME...]: a named project without a TRX (it crashed or did not
build) counts as one failure.
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
files = sorted(pathlib.Path(sys.argv[1]).glob("*.trx"))
for trx in files:
    counters = ET.parse(trx).getroot().find(f"{NS}ResultSummary/{NS}Counters")
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
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
