#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks SPDX 2.3 JSON documents: against the SPDX JSON schema (draft
2019-09, read from $MINT_FIXTURES/spdx-spec/schemas/spdx-schema.json), and
beyond it, as the schema does not: every SPDXID matches
^SPDXRef-[A-Za-z0-9.-]+$ and is unique, and every relationship and
documentDescribes entry names an element of the document.

usage: spdx_validate.py DOC.spdx.json...
Exits 0 when all are valid, 1 when one is not, 77 (skipped) when the
schema or python3-jsonschema is not there."""
import json
import os
import re
import sys

ID = re.compile(r"^SPDXRef-[A-Za-z0-9.-]+$")


def own_checks(doc):
    problems = []
    ids = ["SPDXRef-DOCUMENT"]
    for kind in ("packages", "files", "snippets"):
        ids += [e.get("SPDXID", "") for e in doc.get(kind, [])]
    for i in ids:
        if not ID.match(i):
            problems.append(f"SPDXID {i!r} has characters SPDX does not allow")
    if len(set(ids)) != len(ids):
        problems.append("an SPDXID appears twice")
    known = set(ids)
    for r in doc.get("relationships", []):
        for end in ("spdxElementId", "relatedSpdxElement"):
            if r.get(end) not in known:
                problems.append(f"relationship {r} names no element of the document")
    for d in doc.get("documentDescribes", []):
        if d not in known:
            problems.append(f"documentDescribes {d!r} names no element")
    refs = {lic["licenseId"] for lic in doc.get("hasExtractedLicensingInfos", [])}
    for p in doc.get("packages", []):
        for key in ("licenseDeclared", "licenseConcluded"):
            for ref in re.findall(r"LicenseRef-[A-Za-z0-9.-]+", p.get(key, "")):
                if ref not in refs:
                    problems.append(f"{p['SPDXID']}: {ref} has no extracted licensing info")
    return problems


def main():
    fixtures = os.environ.get("MINT_FIXTURES", "")
    schema_path = os.path.join(fixtures, "spdx-spec", "schemas", "spdx-schema.json")
    try:
        import jsonschema
    except ImportError:
        print("skipped: python3-jsonschema is not installed")
        return 77
    if not fixtures or not os.path.exists(schema_path):
        print(f"skipped: no SPDX schema at {schema_path}")
        return 77
    with open(schema_path) as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=jsonschema.FormatChecker())
    rc = 0
    for path in sys.argv[1:]:
        with open(path) as f:
            doc = json.load(f)
        errors = [f"{list(e.absolute_path)}: {e.message[:200]}"
                  for e in validator.iter_errors(doc)] + own_checks(doc)
        for e in errors:
            print(f"{path}: {e}")
        if errors:
            rc = 1
        else:
            print(f"{path}: valid SPDX 2.3")
    return rc


if __name__ == "__main__":
    sys.exit(main())
