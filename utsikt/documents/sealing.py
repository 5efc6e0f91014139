"""The institution's seal: a PAdES signature (pyHanko) over a finished PDF, and its check.

Production reads a PEM certificate and key from the settings (UTSIKT_SEAL_CERTIFICATE,
UTSIKT_SEAL_KEY). Without them, the demo and the tests seal with a self-signed certificate
whose key is derived from SECRET_KEY, so that every process of one installation (the web
server, the task worker) seals and checks with the same key; nobody outside trusts it.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

FIELD_NAME = "UtsiktSeal"


@dataclass(frozen=True)
class SealKey:
    certificate_der: bytes
    key_der: bytes  # PKCS#8
    public_key_der: bytes


@functools.cache
def seal_key() -> SealKey:
    """The configured certificate and key, or the installation's self-signed demo pair."""
    from cryptography.hazmat.primitives import serialization

    if settings.UTSIKT_SEAL_CERTIFICATE and settings.UTSIKT_SEAL_KEY:
        from cryptography import x509

        certificate = x509.load_pem_x509_certificate(
            Path(settings.UTSIKT_SEAL_CERTIFICATE).read_bytes()
        )
        passphrase = settings.UTSIKT_SEAL_KEY_PASSPHRASE.encode() or None
        key: Any = serialization.load_pem_private_key(
            Path(settings.UTSIKT_SEAL_KEY).read_bytes(), password=passphrase
        )
    else:
        certificate, key = _self_signed()
    return SealKey(
        certificate_der=certificate.public_bytes(serialization.Encoding.DER),
        key_der=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        public_key_der=certificate.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )


def _self_signed() -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    seed = hashlib.sha256(b"utsikt-seal:" + settings.SECRET_KEY.encode()).digest()
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # P-256
    key = ec.derive_private_key(int.from_bytes(seed) % (order - 1) + 1, ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.UTSIKT_UNIVERSITY_NAME_EN),
            x509.NameAttribute(NameOID.COMMON_NAME, "Utsikt demo seal (not trusted)"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(seed[:8]) | 1)
        .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def seal(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with the institution's PAdES signature added as an incremental update."""
    from asn1crypto import keys, x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    material = seal_key()
    certificate = x509.Certificate.load(material.certificate_der)
    signer = signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=keys.PrivateKeyInfo.load(material.key_der),
        cert_registry=SimpleCertificateStore.from_certs([certificate]),  # type: ignore[no-untyped-call]
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=settings.UTSIKT_UNIVERSITY_NAME_EN,
    )
    out = signers.sign_pdf(writer, metadata, signer=signer)
    return bytes(out.getvalue())


def seal_is_intact(pdf: bytes) -> bool:
    """Whether the PDF carries our seal, made with our key, covering the whole file."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAME]
        if len(signatures) != 1:
            return False
        signature = signatures[0]
        certificate = signature.signer_cert
        if certificate.public_key.dump() != seal_key().public_key_der:
            return False
        # The key was compared above; the certificate is trusted as the one that holds it.
        status = validate_pdf_signature(
            signature, signer_validation_context=ValidationContext(trust_roots=[certificate])
        )
    except Exception:  # a damaged file is simply not an intact sealed document
        return False
    return bool(
        status.intact and status.valid and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    )
