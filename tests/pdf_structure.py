"""Reads a tagged PDF's structure tree the way a screen reader does, with pikepdf.

Usage: python3 tests/pdf_structure.py FILE.pdf  Prints JSON:
  {"elements": [{"type", "depth", "attributes", "text"}...],   # the tree, pre-order
   "problems": ["..."]}                                         # empty for a correct file
"text" is the text of the marked content the element itself holds (its MCIDs, in order; an
/ActualText inside replaces the glyphs it spans). Problems: an MCID on a page that no element
reaches, one reached twice or missing from the page, a ParentTree entry that disagrees with
the tree, text or paths drawn outside both marked content and artifacts, artifacts and marked
content nested in each other.
"""
import json
import re
import sys

import pikepdf

PAINT = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do"}
SHOW = {"Tj", "TJ", "'", '"'}


def to_unicode_map(font):
    """Glyph code (2 bytes) -> text, from the font's ToUnicode bfchar/bfrange entries."""
    table = {}
    cmap = font.get("/ToUnicode")
    if cmap is None:
        return table
    data = cmap.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + i)
    return table


def decode(raw, table):
    return "".join(table.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd") for i in range(0, len(raw) - 1, 2))


def page_content(page, problems, n):
    """MCID -> text for one page; records unmarked drawing."""
    fonts = {}
    for name, font in page.obj.get("/Resources", {}).get("/Font", {}).items():
        fonts[name] = to_unicode_map(font)
    texts = {}
    stack = []  # entries: ("mcid", n) | ("artifact",) | ("actual", text, buffer) | ("other",)
    table = {}
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            if tag == "/Artifact":
                if any(e[0] == "mcid" for e in stack):
                    problems.append(f"page {n}: an artifact inside marked content")
                stack.append(("artifact",))
            elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                if any(e[0] in ("mcid", "artifact") for e in stack):
                    problems.append(f"page {n}: marked content nested in marked content or an artifact")
                stack.append(("mcid", int(props.MCID)))
                texts.setdefault(int(props.MCID), "")
            elif isinstance(props, pikepdf.Dictionary) and "/ActualText" in props:
                stack.append(("actual", str(props.ActualText)))
            else:
                stack.append(("other",))
        elif op == "EMC":
            if not stack:
                problems.append(f"page {n}: EMC without BDC")
                continue
            top = stack.pop()
            if top[0] == "actual":
                owner = next((e for e in reversed(stack) if e[0] == "mcid"), None)
                if owner is not None:
                    texts[owner[1]] += top[1]
        elif op == "Tf":
            table = fonts.get(str(operands[0]), {})
        elif op in SHOW or op in PAINT:
            marked = next((e for e in reversed(stack) if e[0] in ("mcid", "artifact")), None)
            if marked is None:
                problems.append(f"page {n}: {op} outside marked content and artifacts")
                continue
            if op not in SHOW or marked[0] == "artifact":
                continue
            if any(e[0] == "actual" for e in stack):
                continue
            strings = operands[-1] if op != "TJ" else [o for o in operands[0] if isinstance(o, pikepdf.String)]
            if op != "TJ":
                strings = [strings]
            texts[marked[1]] += "".join(decode(bytes(s), table) for s in strings)
    if stack:
        problems.append(f"page {n}: marked content left open")
    return texts


def main(path):
    problems = []
    elements = []
    with pikepdf.open(path) as pdf:
        pages = list(pdf.pages)
        page_of = {p.obj.objgen: i for i, p in enumerate(pages)}
        content = [page_content(p, problems, i + 1) for i, p in enumerate(pages)]
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            print(json.dumps({"elements": [], "problems": ["no StructTreeRoot"]}))
            return
        reached = {}

        def walk(node, depth, page):
            if "/Pg" in node:
                page = page_of.get(node.Pg.objgen, page)
            kind = str(node.get("/S", ""))[1:]
            attributes = {}
            if "/A" in node:
                for k, v in node.A.items():
                    attributes[k[1:]] = str(v)[1:] if isinstance(v, pikepdf.Name) else (int(v) if isinstance(v, int) else str(v))
            entry = {"type": kind, "depth": depth, "attributes": attributes, "text": ""}
            elements.append(entry)
            kids = node.get("/K")
            if kids is None:
                return
            if not isinstance(kids, pikepdf.Array):
                kids = [kids]
            for kid in kids:
                if isinstance(kid, int):
                    ref = (page, int(kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    ref = (page_of.get(kid.Pg.objgen, page) if "/Pg" in kid else page, int(kid.MCID))
                elif isinstance(kid, pikepdf.Dictionary):
                    walk(kid, depth + 1, page)
                    continue
                else:
                    problems.append(f"{kind}: unexpected kid {kid!r}")
                    continue
                if ref in reached:
                    problems.append(f"MCID {ref[1]} on page {ref[0] + 1} is reached twice")
                reached[ref] = node.objgen
                if ref[0] is None or ref[1] not in content[ref[0]]:
                    problems.append(f"MCID {ref[1]} on page {ref[0]} is not on the page")
                    continue
                entry["text"] += content[ref[0]][ref[1]]

        walk(root.K, 0, None)
        for i, texts in enumerate(content):
            for mcid in texts:
                if (i, mcid) not in reached:
                    problems.append(f"MCID {mcid} on page {i + 1} is not reachable from the structure tree")
        nums = root.ParentTree.get("/Nums", [])
        for key, owners in zip(nums[0::2], nums[1::2]):
            page = next((i for i, p in enumerate(pages) if int(p.obj.get("/StructParents", -1)) == int(key)), None)
            for mcid, owner in enumerate(owners):
                if reached.get((page, mcid)) != owner.objgen:
                    problems.append(f"ParentTree entry {key}/{mcid} does not point at the element holding it")
        for i, p in enumerate(pages):
            if p.obj.get("/Tabs") != "/S":
                problems.append(f"page {i + 1}: no /Tabs /S")
    print(json.dumps({"elements": elements, "problems": problems}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
