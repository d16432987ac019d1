"""Checks the served OpenAPI document with tools that owe nothing to the code that made it.

    openapi_check.py DOCUMENT [SCHEMA=INSTANCE ...] [!SCHEMA=INSTANCE ...]

1. DOCUMENT must be a valid OpenAPI 3.1 document (openapi-spec-validator).
2. Each INSTANCE (a JSON file) must be valid against `#/components/schemas/SCHEMA` of the
   document (JSON Schema 2020-12, the dialect of OpenAPI 3.1, formats checked); with a
   leading `!` it must be refused instead, so the schemas are known to bite.

Run by `server/tests/api/openapi.rs`; installed by `scripts/setup.sh --test`. Prints what
failed and exits 1, or prints a summary and exits 0.
"""

import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(args):
    document = load(args[0])
    try:
        validate(document, cls=OpenAPIV31SpecValidator)
    except OpenAPIValidationError as e:
        print(f"not a valid OpenAPI document: {e}")
        return 1
    except Exception as e:  # e.g. a $ref to nowhere stops the validator itself
        print(f"not a valid OpenAPI document: {type(e).__name__}: {str(e)[:300]}")
        return 1
    if not document.get("openapi", "").startswith("3.1."):
        print(f"not OpenAPI 3.1: {document.get('openapi')!r}")
        return 1
    failures = 0
    for arg in args[1:]:
        refused = arg.startswith("!")
        name, path = arg.lstrip("!").split("=", 1)
        # The document is the root, so `#/components/schemas/…` refs resolve inside it.
        root = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
        validator = Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = list(validator.iter_errors(load(path)))
        if refused and not errors:
            print(f"{path}: accepted by {name}, but should be refused")
            failures += 1
        elif not refused and errors:
            for e in errors[:10]:
                print(f"{path}: {name} at {'/'.join(map(str, e.absolute_path))}: {e.message}")
            failures += 1
    if failures:
        return 1
    print(f"valid OpenAPI {document['openapi']}; {len(args) - 1} instance checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
