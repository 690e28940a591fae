"""PDF/A-2a and PDF/UA-1 structure checks with pikepdf, for files rollikaart wrote (and the
same files after a signer appended its revisions).

Usage: python3 tests/pdfa_check.py FILE.pdf ...  Prints one line per problem; exit 1 if any.
Checks what a PDF/A-2a validator checks first: the XMP identification (PDF/A-2a, PDF/UA-1 with
its extension schema) and its agreement with the document information, the output intent and
its ICC profile, every font embedded with a ToUnicode map, the file marked as tagged with a
structure tree and a language, no encryption, JavaScript, transparency or actions, and no
annotation but signature widgets that print. The structure tree itself is walked by
tests/pdf_structure.py.
"""
import re
import sys
import pikepdf

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"


def check(path):
    problems = []
    with pikepdf.open(path) as pdf:
        if pdf.is_encrypted:
            problems.append("encrypted")
        if pdf.pdf_version < "1.4":
            problems.append(f"PDF version {pdf.pdf_version}")
        if "/ID" not in pdf.trailer:
            problems.append("no trailer /ID")
        root = pdf.Root
        if "/Metadata" not in root:
            problems.append("no XMP metadata")
        else:
            meta = pdf.open_metadata()
            if meta.get("pdfaid:part") != "2" or meta.get("pdfaid:conformance") != "A":
                problems.append(f"pdfaid is {meta.get('pdfaid:part')}{meta.get('pdfaid:conformance')}, want 2A")
            if meta.get("pdfuaid:part") != "1":
                problems.append(f"pdfuaid:part is {meta.get('pdfuaid:part')}, want 1")
            raw = root.Metadata.read_bytes().decode("utf-8")
            # As an element (as rollikaart writes it) or an attribute (as pyHanko rewrites it).
            if not re.search(r'pdfaSchema:prefix(>|=")pdfuaid', raw):
                problems.append("pdfuaid is not declared in a PDF/A extension schema")
            info = pdf.docinfo
            pairs = [("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Producer", "pdf:Producer"),
                     ("/Keywords", "pdf:Keywords"), ("/Subject", "dc:description")]
            for key, xmp in pairs:
                if key in info:
                    want = str(info[key])
                    got = meta.get(xmp)
                    if isinstance(got, (list, set)):
                        got = ", ".join(sorted(got)) if key != "/Author" else next(iter(got), None)
                    if got != want:
                        problems.append(f"{key} {want!r} differs from XMP {xmp} {got!r}")
            if "Filter" in str(root.Metadata.stream_dict.keys()):
                problems.append("XMP stream is compressed")
        intents = root.get("/OutputIntents")
        if not intents:
            problems.append("no output intent")
        else:
            for oi in intents:
                if oi.get("/S") != "/GTS_PDFA1":
                    problems.append(f"output intent subtype {oi.get('/S')}")
                prof = oi.get("/DestOutputProfile")
                if prof is None or int(prof.get("/N", 0)) != 3:
                    problems.append("output intent without an RGB ICC profile")
        if "/OpenAction" in root or "/AA" in root or "/JavaScript" in root.get("/Names", {}):
            problems.append("actions or JavaScript")
        if "/Lang" not in root:
            problems.append("no /Lang")
        if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
            problems.append("not marked as tagged (/MarkInfo /Marked true)")
        if "/StructTreeRoot" not in root:
            problems.append("no structure tree")
        if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
            problems.append("the viewer is not asked to show the document title")
        for n, page in enumerate(pdf.pages, 1):
            if "/Group" in page.obj:
                problems.append(f"page {n}: transparency group")
            res = page.obj.get("/Resources", {})
            for name, gs in res.get("/ExtGState", {}).items():
                for k in ("/SMask", "/CA", "/ca"):
                    if k in gs and not (k != "/SMask" and float(gs[k]) == 1.0) and not (k == "/SMask" and gs[k] == "/None"):
                        problems.append(f"page {n}: {name} sets {k}")
            for name, font in res.get("/Font", {}).items():
                fonts = [font] + list(font.get("/DescendantFonts", []))
                embedded = any("/FontDescriptor" in f and any(k in f.FontDescriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")) for f in fonts)
                if not embedded:
                    problems.append(f"page {n}: font {name} not embedded")
                if "/ToUnicode" not in font:
                    problems.append(f"page {n}: font {name} without ToUnicode")
                for f in fonts:
                    if f.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in f:
                        problems.append(f"page {n}: font {name} without CIDToGIDMap")
            if "/StructParents" not in page.obj:
                problems.append(f"page {n}: no /StructParents")
            if "/Annots" in page.obj:
                for a in page.obj.Annots:
                    field = a.get("/Parent", a)
                    is_signature = a.get("/Subtype") == "/Widget" and field.get("/FT") == "/Sig"
                    prints = int(a.get("/F", 0)) & 4
                    rect = [float(v) for v in a.get("/Rect", [0, 0, 0, 0])]
                    visible = rect[2] != rect[0] and rect[3] != rect[1]
                    if not is_signature:
                        problems.append(f"page {n}: annotation {a.get('/Subtype')}")
                    elif not prints:
                        problems.append(f"page {n}: signature widget without the print flag")
                    elif visible and "/AP" not in a:
                        problems.append(f"page {n}: visible signature widget without an appearance")
    return problems


def main():
    bad = 0
    for path in sys.argv[1:]:
        for p in check(path):
            print(f"{path}: {p}")
            bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
