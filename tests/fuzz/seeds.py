#!/usr/bin/env python3
"""Write the seed corpus of every fuzz target into OUTDIR/<target>/ (ci/fuzz runs it).

Each target's seeds are its own folder, tests/fuzz/corpus/<target>/ (hand-written seeds and the
regression cases of what fuzzing found), and what the repository already holds in that target's
input format: the rule pack and the fixtures (JSON texts, rule files, the rules' expressions,
queries, dates and numbers of the returns) and the JSONPath Compliance Test Suite under
tests/assets/. Multi-part inputs join their parts with NUL bytes (tests/fuzz/fuzz.h). Files are
named by a hash of their content, so a seed found twice is written once.

Usage: tests/fuzz/seeds.py OUTDIR
"""
import hashlib
import json
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGETS = ["date", "decimal", "doc", "expr", "jsonpath", "locator", "ruleset", "waiver"]
MAX_SEED = 64 * 1024  # larger texts make every mutation slow and find nothing more


def files_under(folder, suffix=""):
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(suffix):
                yield os.path.join(base, name)


def read(path):
    with open(path, "rb") as f:
        return f.read()


class Corpus:
    def __init__(self, out, target):
        self.dir = os.path.join(out, target)
        os.makedirs(self.dir, exist_ok=True)
        self.count = 0

    def add(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX_SEED:
            return
        path = os.path.join(self.dir, hashlib.sha1(data).hexdigest()[:16])
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
            self.count += 1


def json_texts():
    """Every JSON file of the fixtures and the rule pack, as bytes."""
    for folder in ("fixtures", "rules"):
        for path in files_under(os.path.join(ROOT, folder), ".json"):
            yield path, read(path)


def collect_strings(value, strings):
    if isinstance(value, dict):
        for k, v in value.items():
            strings.add(k)
            collect_strings(v, strings)
    elif isinstance(value, list):
        for v in value:
            collect_strings(v, strings)
    elif isinstance(value, str):
        strings.add(value)


def pointers(value, prefix=""):
    """A few JSON Pointers into a value: its members and items, depth first."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for k, v in items:
        token = str(k).replace("~", "~0").replace("/", "~1")
        yield from pointers(v, prefix + "/" + token)


def rule_expressions(rule):
    """(expression, is_template) of every expression field of a rule."""
    for field in ("when", "assert", "subject"):
        if isinstance(rule.get(field), str):
            yield rule[field], False
    if isinstance(rule.get("message"), str):
        yield rule["message"], True
    for v in (rule.get("let") or {}).values():
        if isinstance(v, str):
            yield v, False
    each = rule.get("each") or {}
    for v in each.values():
        if isinstance(v, str):
            yield v, False
    group = rule.get("group") or {}
    if isinstance(group.get("where"), str):
        yield group["where"], False
    for v in (group.get("by") or {}).values():
        if isinstance(v, str):
            yield v, False


def example_doc(rule_file, rule):
    """The first return of the rule's failing example, as text, or None."""
    fail = (rule.get("examples") or {}).get("fail")
    if not isinstance(fail, str):
        return None
    folder = os.path.normpath(os.path.join(os.path.dirname(rule_file), fail))
    for path in files_under(folder, ".json"):
        return read(path)
    return None


def main():
    if len(sys.argv) != 2:
        print("usage: tests/fuzz/seeds.py OUTDIR", file=sys.stderr)
        return 2
    out = sys.argv[1]
    if os.path.exists(out):
        shutil.rmtree(out)
    corpora = {t: Corpus(out, t) for t in TARGETS}
    for t in TARGETS:
        own = os.path.join(ROOT, "tests", "fuzz", "corpus", t)
        for path in files_under(own):
            corpora[t].add(read(path))

    strings, numbers = set(), set()
    for path, data in json_texts():
        corpora["doc"].add(data)
        corpora["locator"].add(data)
        numbers.update(m.group(0) for m in re.finditer(rb"-?[0-9][0-9.eE+-]*", data))
        try:
            doc = json.loads(data)
        except ValueError:
            continue
        collect_strings(doc, strings)
        ptrs = list(pointers(doc))[:12]
        corpora["locator"].add(data + b"".join(b"\0" + p.encode() for p in ptrs))
        if isinstance(doc, dict) and "rules" in doc and "ruleset" in doc:
            corpora["ruleset"].add(data)
            for rule in doc.get("rules") or []:
                if not isinstance(rule, dict):
                    continue
                ret = example_doc(path, rule) or b""
                for src, template in rule_expressions(rule):
                    corpora["expr"].add(src.encode() + (b"\0" + ret if ret else b""))
                if isinstance(rule.get("for_each"), str):
                    corpora["jsonpath"].add(rule["for_each"].encode() + (b"\0" + ret if ret else b""))
            for sig, body in (doc.get("helpers") or {}).items():
                if isinstance(body, str):
                    corpora["expr"].add(body)
            for chart in (doc.get("charts") or {}).values():
                for series in chart.get("series") or []:
                    if isinstance(series, dict) and isinstance(series.get("value"), str):
                        corpora["expr"].add(series["value"])

    # the rule pack's files two by two, loaded as one folder (params and helpers across files)
    pack = [read(p) for p in files_under(os.path.join(ROOT, "rules", "lsc-saf"), ".json")]
    for a, b in zip(pack, pack[1:]):
        corpora["ruleset"].add(a + b"\0" + b)

    for s in strings:
        if 0 < len(s) <= 40 and re.search(r"[0-9]", s):
            corpora["date"].add(s)
    for n in sorted(numbers, key=lambda x: (len(x), x))[:400]:
        corpora["decimal"].add(n + b"\0" + b"0.1\0\x02")

    cts = json.load(open(os.path.join(ROOT, "tests", "assets", "jsonpath-cts", "cts.json")))
    for case in cts["tests"]:
        selector = case.get("selector")
        if not isinstance(selector, str):
            continue
        if "document" in case:
            doc = json.dumps(case["document"]).encode()
            corpora["jsonpath"].add(selector.encode() + b"\0" + doc)
            corpora["doc"].add(doc)
        else:
            corpora["jsonpath"].add(selector)
    for t in TARGETS:
        print("%s: %d seeds" % (t, corpora[t].count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
