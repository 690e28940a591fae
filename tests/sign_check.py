"""Signs a PDF twice with pyHanko, as a signing office would, and validates the signatures.

Usage: python3 tests/sign_check.py IN.pdf DIR
Makes a self-signed test certificate in DIR, writes DIR/signed1.pdf (one PAdES baseline B
signature, appended as an incremental update) and DIR/signed2.pdf (a second signature on top),
validates every signature of both against the test certificate, and prints one line per
problem; exit 1 if any.
"""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def make_certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "rollikaart test signer"),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "EE")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, key_cert_sign=True, crl_sign=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    key_path = os.path.join(folder, "key.pem")
    cert_path = os.path.join(folder, "cert.pem")
    with open(key_path, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def sign(signer, source, target, field):
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256")
    with open(source, "rb") as inp, open(target, "wb") as out:
        signers.sign_pdf(IncrementalPdfFileWriter(inp), meta, signer=signer, output=out)


def validate(path, cert_path, expected):
    problems = []
    context = ValidationContext(trust_roots=[load_cert_from_pemder(cert_path)])
    with open(path, "rb") as f:
        sigs = PdfFileReader(f).embedded_signatures
        if len(sigs) != expected:
            problems.append(f"{path}: {len(sigs)} signatures, expected {expected}")
        for sig in sigs:
            status = validate_pdf_signature(sig, context)
            if not (status.intact and status.valid and status.trusted):
                problems.append(f"{path}: signature {sig.field_name} does not validate: {status.summary()}")
    return problems


def main(source, folder):
    key_path, cert_path = make_certificate(folder)
    signer = signers.SimpleSigner.load(key_path, cert_path)
    first = os.path.join(folder, "signed1.pdf")
    second = os.path.join(folder, "signed2.pdf")
    sign(signer, source, first, "Allkiri1")
    problems = validate(first, cert_path, 1)
    sign(signer, first, second, "Allkiri2")
    problems += validate(second, cert_path, 2)
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
