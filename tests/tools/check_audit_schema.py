#!/usr/bin/env python3
"""Checks every audit record a test run wrote against the audit schema.

usage: check_audit_schema.py SCHEMA DIR

DIR holds the audit logs the e2e scripts kept (tests/e2e/lib/keep_audit.sh).
Every line of every log must be UTF-8 text of one JSON object, without
duplicate keys, valid against SCHEMA (JSON Schema 2020-12, checked with
Debian's python3-jsonschema; records alike but for their time stamps are
validated once, their time stamps each). Every event the schema defines must occur at
least once, so no part of the schema goes unchecked, and there must be logs
at all. Prints the first problems as FILE:LINE: error, and exits 1 on any.
"""
import json
import os
import re
import sys

from jsonschema import Draft202012Validator

MAX_SHOWN = 20


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("duplicate keys: " + ", ".join(sorted(dup)))
    return dict(pairs)


def no_constants(name):
    raise ValueError("not JSON: " + name)


def schema_errors(validator, record):
    return [("/".join(str(p) for p in e.absolute_path) or "(record)") + ": " + e.message
            for e in validator.iter_errors(record)]


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    schema_path, logs = argv[1], argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    events = schema["properties"]["event"]["enum"]
    seen = dict.fromkeys(events, 0)
    ts_pattern = re.compile(schema["properties"]["ts"]["pattern"])
    verdicts = {}  # a record with a valid ts replaced by one fixed ts -> its schema errors
    problems = []
    nrecords = 0
    files = sorted(os.listdir(logs)) if os.path.isdir(logs) else []
    for name in files:
        path = os.path.join(logs, name)
        with open(path, "rb") as f:
            data = f.read()
        if not data.endswith(b"\n"):
            problems.append(f"{name}: the last record does not end its line")
        for lineno, raw in enumerate(data.split(b"\n")[:-1], 1):
            where = f"{name}:{lineno}"
            try:
                record = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates,
                                    parse_constant=no_constants)
            except ValueError as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
                problems.append(f"{where}: {e}")
                continue
            nrecords += 1
            ts = record.get("ts") if isinstance(record, dict) else None
            if isinstance(ts, str) and ts_pattern.search(ts):
                record = dict(record, ts="2000-01-01T00:00:00.000Z")
            key = json.dumps(record, sort_keys=True)
            if key not in verdicts:
                verdicts[key] = schema_errors(validator, record)
            errors = verdicts[key]
            problems += [f"{where}: {e}" for e in errors]
            if not errors:
                seen[record["event"]] += 1
    if not files:
        problems.append(f"{logs}: no audit logs were kept")
    for event, n in seen.items():
        if n == 0 and files:
            problems.append(f"no test wrote a valid {event} record (the schema defines it)")
    for p in problems[:MAX_SHOWN]:
        print("FAIL audit schema: " + p)
    if len(problems) > MAX_SHOWN:
        print(f"FAIL audit schema: ... and {len(problems) - MAX_SHOWN} more")
    if problems:
        return 1
    print(f"audit schema: {nrecords} records in {len(files)} logs valid, every event seen")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
