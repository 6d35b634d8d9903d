"""Interim schema-only check for helpers: python .dev/schemacheck.py FILE..."""
import json, sys, pathlib, yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
root = pathlib.Path(__file__).resolve().parent.parent / "schema"
reg = Registry()
for p in root.glob("*.schema.json"):
    reg = reg.with_resource(p.name, Resource.from_contents(json.loads(p.read_text())))
bad = 0
for f in sys.argv[1:]:
    kind = "role" if "/roles/" in f or f.startswith("roles/") else "process" if "processes/" in f else "handbook"
    v = Draft202012Validator({"$ref": f"{kind}.schema.json"}, registry=reg)
    data = yaml.safe_load(open(f, encoding="utf-8"))
    for e in v.iter_errors(data):
        bad += 1
        print(f"{f}: /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
print("ok" if not bad else f"{bad} problems")
