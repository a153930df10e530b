#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks OCI JSON documents against the image-spec JSON schemas, offline.

usage: oci_validate.py KIND FILE...   (KIND: config, manifest, index, layout)

The schemas come from Debian's golang-github-opencontainers-image-spec-dev
(override the directory with OCI_SCHEMA_DIR). They are draft-04 schemas that
refer to each other by https URLs; those references are served from the same
directory. Exit status: 0 all valid, 1 some invalid, 77 schemas or
python3-jsonschema missing (meson's "skipped")."""
import json
import os
import sys
import warnings

SCHEMA_DIR = os.environ.get(
    "OCI_SCHEMA_DIR", "/usr/share/gocode/src/github.com/opencontainers/image-spec/schema")
SCHEMAS = {
    "config": "config-schema.json",
    "manifest": "image-manifest-schema.json",
    "index": "image-index-schema.json",
    "layout": "image-layout-schema.json",
}


def local_schema(uri):
    with open(os.path.join(SCHEMA_DIR, uri.rsplit("/", 1)[-1])) as f:
        return json.load(f)


def validator(kind):
    import jsonschema
    schema = local_schema(SCHEMAS[kind])
    resolver = jsonschema.RefResolver(schema.get("id", ""), schema,
                                      handlers={"https": local_schema, "http": local_schema})
    return jsonschema.Draft4Validator(schema, resolver=resolver,
                                      format_checker=jsonschema.FormatChecker())


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in SCHEMAS:
        print(__doc__, file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    try:
        v = validator(sys.argv[1])
    except (ImportError, OSError) as e:
        print(f"skipped: {e}")
        return 77
    status = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            errors = list(v.iter_errors(json.load(f)))
        for e in errors:
            print(f"{path}: {list(e.absolute_path)}: {e.message}")
            status = 1
        if not errors:
            print(f"{path}: valid {sys.argv[1]}")
    return status


if __name__ == "__main__":
    sys.exit(main())
