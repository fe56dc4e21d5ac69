#!/usr/bin/env python3
"""The curated Flux schemas (schemas/kinds/) carry the CEL rules of Flux's
published CRDs: every x-kubernetes-validations entry of the CRD schema of a
curated kind (crds-catalog-flux-2.9 of ../shared/testsuites/flux-schemas)
must be in the curated schema at the same path, with the same rule, message
and other fields, and the curated schema may carry no rule the CRD lacks.
Usage: cel_flux.py SCHEMAS_KINDS_DIR FLUX_SCHEMAS_DIR; exit 1 on a drift."""
import glob
import json
import os
import sys


def rules(node, path, out):
    if isinstance(node, dict):
        for entry in node.get("x-kubernetes-validations", []):
            out.append((path, json.dumps(entry, sort_keys=True)))
        for key, sub in node.items():
            if key == "properties":
                for name, prop in sub.items():
                    rules(prop, path + "." + name, out)
            elif key in ("items", "additionalProperties"):
                rules(sub, path + "[*]", out)
    return out


def main():
    kinds, flux = sys.argv[1], sys.argv[2]
    catalog = os.path.join(flux, "crds-catalog-flux-2.9")
    bad = checked = 0
    for path in sorted(glob.glob(os.path.join(catalog, "*", "*.json"))):
        group = os.path.basename(os.path.dirname(path))
        kind, version = os.path.basename(path)[:-5].split("_", 1)
        name = "%s-%s-%s.json" % (kind, group.split(".")[0], version)
        want = rules(json.load(open(path)), "", [])
        curated = os.path.join(kinds, name)
        if not os.path.exists(curated):
            if want:
                print("MISSING %s: the CRD has %d CEL rules, no curated "
                      "schema carries them" % (name, len(want)))
                bad = 1
            continue
        have = rules(json.load(open(curated)), "", [])
        for r in want:
            if r not in have:
                print("DRIFT %s%s: not in the curated schema: %s" %
                      (name, r[0], r[1]))
                bad = 1
        for r in have:
            if r not in want:
                print("DRIFT %s%s: not in Flux's CRD: %s" % (name, r[0], r[1]))
                bad = 1
        checked += len(want)
    print("flux-cel: %d CEL rules of Flux's CRDs in the curated schemas%s" %
          (checked, ", drift" if bad else ""))
    return bad


sys.exit(main())
