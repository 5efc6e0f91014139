"""Single sign-on against a local identity provider made with pysaml2 in the test, offline.

Keys and certificates are made here with `cryptography`. A valid log-in makes or finds the
account; unsigned, tampered, expired, replayed, wrong-audience and unsolicited responses are
refused with a clear page (never a 500), and nobody is logged in by them.
"""

from __future__ import annotations

import base64
import datetime
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client, override_settings
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig, SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

from utsikt.accounts.models import OrgUnit, User
from utsikt.accounts.sso_config import saml_config
from utsikt.core.models import Event

IDP = "https://idp.lu.example.se/idp"
BASE = "http://testserver"
ACS = f"{BASE}/sso/acs/"
OTHER_SP = "https://other.example.org/sp"
RULES = "lu.example.se=,ht.lu.example.se=ht-libraries"
ANNA = {
    "eduPersonPrincipalName": ["anna.berg@ht.lu.example.se"],
    "mail": ["anna.berg@ht.lu.example.se"],
    "givenName": ["Anna"],
    "sn": ["Berg"],
    "eduPersonAffiliation": ["employee", "member"],
}


def _key_and_cert(folder: Path, name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


class IdentityProvider:
    """A federation's identity provider, as far as the tests need one."""

    def __init__(self, folder: Path) -> None:
        sp_key, sp_cert = _key_and_cert(folder, "sp")
        idp_key, idp_cert = _key_and_cert(folder, "idp")
        idp_settings: dict[str, Any] = {
            "entityid": IDP,
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "service": {
                "idp": {
                    "name": "Test university IdP",
                    "endpoints": {
                        "single_sign_on_service": [(f"{IDP}/sso", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "key_file": idp_key,
            "cert_file": idp_cert,
            "metadata": {},
        }
        idp_metadata = folder / "idp.xml"
        idp_metadata.write_text(str(entity_descriptor(IdPConfig().load(dict(idp_settings)))))
        self.sp_config = saml_config(
            base_url=BASE, idp_metadata=[str(idp_metadata)], key_file=sp_key, cert_file=sp_cert
        )
        self.sp_entity = self.sp_config["entityid"]
        sp_metadata = str(entity_descriptor(SPConfig().load(dict(self.sp_config))))
        # Another service in the same federation, for responses meant for it.
        other = {**self.sp_config, "entityid": OTHER_SP}
        other_metadata = str(entity_descriptor(SPConfig().load(other)))
        idp_settings["metadata"] = {"inline": [sp_metadata, other_metadata]}
        self.server = Server(config=IdPConfig().load(idp_settings))

    def request_id(self, login_redirect: str) -> str:
        """The id of the log-in request the service provider sent the browser here with."""
        assert login_redirect.startswith(f"{IDP}/sso?"), login_redirect
        query = parse_qs(urlparse(login_redirect).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        assert request.message.assertion_consumer_service_url == ACS
        return str(request.message.id)

    def response(
        self,
        in_response_to: str | None,
        identity: dict[str, list[str]] | None = None,
        *,
        audience: str | None = None,
        signed: bool = True,
    ) -> str:
        xml = self.server.create_authn_response(
            identity=identity or ANNA,
            in_response_to=in_response_to,
            destination=ACS,
            sp_entity_id=audience or self.sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text="a1b2c3d4"),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=signed,
            sign_assertion=signed,
            sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
        )
        return str(xml)


def _post(client: Client, xml: str, next_page: str = "/my/") -> Any:
    encoded = base64.b64encode(xml.encode()).decode()
    return client.post("/sso/acs/", {"SAMLResponse": encoded, "RelayState": next_page})


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> IdentityProvider:
    return IdentityProvider(tmp_path_factory.mktemp("saml"))


@pytest.fixture
def sso(idp: IdentityProvider, org: dict[str, OrgUnit]) -> Any:
    with override_settings(
        UTSIKT_SSO_ENABLED=True,
        SAML_CONFIG=idp.sp_config,
        UTSIKT_SSO_ORG_RULES=RULES,
        UTSIKT_SSO_AFFILIATIONS="employee,staff,faculty",
    ):
        yield idp


def _start(client: Client, idp: IdentityProvider) -> str:
    started = client.get("/sso/login/", {"next": "/my/"})
    assert started.status_code == 302
    return idp.request_id(started["Location"])


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _refused(response: Any, caplog: pytest.LogCaptureFixture | None = None, why: str = "") -> None:
    assert response.status_code in {400, 403}, response.status_code
    html = response.content.decode()
    assert "<h1>" in html and "Inloggningen gick inte igenom" in html
    if caplog is not None:  # refused for the reason the test means, not another
        assert why in caplog.text, caplog.text[-2000:]


def test_a_valid_log_in_makes_the_account_in_its_department(sso: IdentityProvider) -> None:
    client = Client()
    response = _post(client, sso.response(_start(client, sso)))
    assert response.status_code == 302 and response["Location"] == "/my/"
    assert _signed_in(client)
    anna = User.objects.get(eppn="anna.berg@ht.lu.example.se")
    assert (anna.email, anna.first_name, anna.last_name) == (
        "anna.berg@ht.lu.example.se",
        "Anna",
        "Berg",
    )
    assert anna.department is not None and anna.department.code == "ht-libraries"
    assert not anna.has_usable_password()
    assert Event.objects.about(anna).filter(action="person.created_by_sso").exists()
    assert client.get("/my/").status_code == 200
    # The second time the same account is found, with the names the IdP now gives.
    again = Client()
    renamed = {**ANNA, "sn": ["Berg Ek"]}
    assert _post(again, sso.response(_start(again, sso), renamed)).status_code == 302
    assert User.objects.filter(eppn="anna.berg@ht.lu.example.se").count() == 1
    assert User.objects.get(eppn="anna.berg@ht.lu.example.se").last_name == "Berg Ek"


def test_a_local_account_is_linked_but_an_administrator_stays_local(
    sso: IdentityProvider, personas: dict[str, User]
) -> None:
    librarian = personas["librarian"]
    client = Client()
    identity = {
        **ANNA,
        "mail": [librarian.email],
        "eduPersonPrincipalName": ["karin@lu.example.se"],
    }
    assert _post(client, sso.response(_start(client, sso), identity)).status_code == 302
    librarian.refresh_from_db()
    assert librarian.eppn == "karin@lu.example.se"
    assert client.session["_auth_user_id"] == str(librarian.pk)

    admin = personas["admin"]
    client = Client()
    identity = {**ANNA, "mail": [admin.email], "eduPersonPrincipalName": ["root@lu.example.se"]}
    response = _post(client, sso.response(_start(client, sso), identity))
    _refused(response)
    assert "administratör" in response.content.decode()
    assert not _signed_in(client)
    admin.refresh_from_db()
    assert admin.eppn is None
    # The break-glass administrator still logs in with the local password.
    assert Client().login(email=admin.email, password="demo") or admin.has_usable_password()


@pytest.mark.parametrize(
    ("identity", "says"),
    [
        ({**ANNA, "eduPersonAffiliation": ["student", "member"]}, "anställd"),
        ({**ANNA, "eduPersonPrincipalName": ["eve@other.example.org"]}, "organisation"),
        ({k: v for k, v in ANNA.items() if k != "mail"}, "e-postadress"),
    ],
    ids=["a student", "another organisation", "no e-mail address"],
)
def test_people_the_rules_do_not_let_in_are_told_why(
    sso: IdentityProvider, identity: dict[str, list[str]], says: str
) -> None:
    client = Client()
    response = _post(client, sso.response(_start(client, sso), identity))
    _refused(response)
    assert says in response.content.decode()
    assert not _signed_in(client)
    assert not User.objects.filter(eppn__isnull=False).exists()


def test_an_unsigned_response_is_refused(
    sso: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    xml = sso.response(_start(client, sso), signed=False)
    _refused(_post(client, xml), caplog, "Signature missing")
    assert not _signed_in(client)


def test_a_tampered_response_is_refused(
    sso: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    xml = sso.response(_start(client, sso))
    forged = xml.replace("anna.berg@ht.lu.example.se", "admin@ht.lu.example.se")
    assert forged != xml
    _refused(_post(client, forged), caplog, "Failed to verify signature")
    assert not _signed_in(client)
    assert not User.objects.filter(eppn__isnull=False).exists()


def test_an_expired_response_is_refused(
    sso: IdentityProvider, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    xml = sso.response(_start(client, sso))
    # It arrives two hours after the identity provider made it (valid for 5 minutes).
    later = int(time.time()) + 2 * 3600
    monkeypatch.setattr("saml2.time_util.utc_now", lambda: later)
    _refused(_post(client, xml), caplog, "too old")
    assert not _signed_in(client)


def test_a_replayed_response_is_refused(
    sso: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    xml = sso.response(_start(client, sso))
    assert _post(client, xml).status_code == 302
    client.post("/logout/")
    assert not _signed_in(client)
    # The same response again, from the same browser and from another one.
    _refused(_post(client, xml), caplog, "nsolicited")
    assert not _signed_in(client)
    stranger = Client()
    _refused(_post(stranger, xml), caplog, "nsolicited")
    assert not _signed_in(stranger)


def test_a_response_meant_for_another_service_is_refused(
    sso: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    xml = sso.response(_start(client, sso), audience=OTHER_SP)
    _refused(_post(client, xml), caplog, "AudienceRestrictions")
    assert not _signed_in(client)


def test_an_unsolicited_response_is_refused(
    sso: IdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()  # started no log-in
    _refused(_post(client, sso.response(None)), caplog, "nsolicited")
    _refused(_post(client, sso.response("id-nobody-asked-for")), caplog, "nsolicited")
    assert not _signed_in(client)


def test_garbage_at_the_consumer_is_a_clear_page_never_a_500(sso: IdentityProvider) -> None:
    client = Client(raise_request_exception=True)
    for data in ({}, {"SAMLResponse": "not base64 at all %%%"}, {"SAMLResponse": "PHg+"}):
        response = client.post("/sso/acs/", data)
        assert response.status_code in {400, 403}
    assert client.get("/sso/acs/").status_code == 405


def test_the_metadata_and_the_log_in_button_appear_only_when_configured(
    sso: IdentityProvider,
) -> None:
    metadata = Client().get("/sso/metadata/")
    assert metadata.status_code == 200 and b"AssertionConsumerService" in metadata.content
    assert "/sso/login/" in Client().get("/login/").content.decode()
    with override_settings(UTSIKT_SSO_ENABLED=False):
        assert Client().get("/sso/metadata/").status_code == 404
        assert "/sso/login/" not in Client().get("/login/").content.decode()
