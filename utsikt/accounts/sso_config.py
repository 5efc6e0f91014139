"""The service provider's pysaml2 configuration, built by settings.py from the environment
(apart from accounts/sso.py, which imports models and so cannot be imported by settings)."""

from __future__ import annotations

import shutil
from typing import Any

import saml2  # type: ignore[import-untyped]
import saml2.saml  # type: ignore[import-untyped]

EPPN = "eduPersonPrincipalName"
MAIL = "mail"
ATTRIBUTES = {
    "required": [EPPN, MAIL],
    "optional": ["givenName", "sn", "eduPersonAffiliation", "eduPersonScopedAffiliation"],
}


def saml_config(
    *,
    base_url: str,
    idp_metadata: list[str],
    key_file: str,
    cert_file: str,
    entity_id: str = "",
    inline_metadata: list[str] | None = None,
) -> dict[str, Any]:
    """The service provider's pysaml2 configuration."""
    metadata: dict[str, Any] = {"local": idp_metadata} if idp_metadata else {}
    if inline_metadata:
        metadata["inline"] = inline_metadata
    return {
        "xmlsec_binary": shutil.which("xmlsec1") or "/usr/bin/xmlsec1",
        "entityid": entity_id or f"{base_url}/sso/metadata/",
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Utsikt",
                "name_id_format": saml2.saml.NAMEID_FORMAT_TRANSIENT,
                "endpoints": {
                    "assertion_consumer_service": [
                        (f"{base_url}/sso/acs/", saml2.BINDING_HTTP_POST)
                    ],
                },
                # Only answers to a log-in this browser started (no unsolicited responses).
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                # SHA-256, as SWAMID requires (pysaml2 would sign with SHA-1).
                "signing_algorithm": "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                "digest_algorithm": "http://www.w3.org/2001/04/xmlenc#sha256",
                "want_assertions_signed": True,
                "want_response_signed": False,
                "required_attributes": ATTRIBUTES["required"],
                "optional_attributes": ATTRIBUTES["optional"],
            }
        },
        "metadata": metadata,
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        # Seconds of clock difference tolerated between the identity provider and us.
        "accepted_time_diff": 60,
    }
