#!/usr/bin/python3
"""Independent LTI 1.3 id_token maker and verifier for the launch validator tests.

Uses PyJWT and pyca/cryptography (Debian's python3-jwt, python3-cryptography),
never the C++ code under test, so both sides of every signature are written
by different people.

  make_tokens.py generate OUT.json
      Writes fresh RSA keys, JWK Sets and a list of id_token cases, each with
      the reason code the validator must return ("ok" for valid tokens).
  make_tokens.py verify JWK.json PUBLIC.pem TOKEN
      Verifies TOKEN (RS256) with the key read from the JWK, checks that the
      JWK and the PEM hold the same public key, and prints
      {"header":..., "payload":..., "thumbprint":...} as JSON.

Run it with /usr/bin/python3: the pyenv python3 on PATH lacks these modules.
"""

import base64
import copy
import hashlib
import hmac
import json
import sys

import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from jwt.algorithms import RSAAlgorithm

# The fixed "now" the C++ test gives core::FixedClock.
NOW = 1_700_000_000
ISSUER = "https://platform.example.ac.uk"
CLIENT_ID = "mentoring-tool-client"
DEPLOYMENT_ID = "deployment-1"
NONCE = "n-0S6_WzA2Mj"
TARGET = "https://tool.example.nhs.uk/lti/launch"

C = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem_private(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def pem_public(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def jwk_of(key, kid, alg=None):
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk["kid"] = kid
    jwk["use"] = "sig"
    if alg:
        jwk["alg"] = alg
    return jwk


def base_claims():
    return {
        "iss": ISSUER,
        "sub": "a6d5c443-1f51-4783-ba1a-7686ffe3b54a",
        "aud": CLIENT_ID,
        "exp": NOW + 300,
        "iat": NOW - 10,
        "nonce": NONCE,
        "name": "Dr Ada Lovelace",
        "given_name": "Ada",
        "family_name": "Lovelace",
        "email": "ada.lovelace@example.nhs.uk",
        C + "deployment_id": DEPLOYMENT_ID,
        C + "message_type": "LtiResourceLinkRequest",
        C + "version": "1.3.0",
        C + "target_link_uri": TARGET,
        C + "roles": [
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
            "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Student",
            "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor",
            "http://example.com/vocab#Custom",
        ],
        C + "resource_link": {"id": "rl-200d101f", "title": "Mentoring scheme"},
        C + "context": {"id": "ctx-42", "label": "FY1-2026", "title": "Foundation Year 1",
                        "type": ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"]},
        C + "lis": {"person_sourcedid": "GMC:7654321"},
        C + "custom": {"scheme": "fy1-north", "cohort": 2026},
        C + "launch_presentation": {"document_target": "iframe",
                                    "return_url": "https://platform.example.ac.uk/return",
                                    "locale": "en-GB"},
        NRPS: {"context_memberships_url": "https://platform.example.ac.uk/nrps/ctx-42",
               "service_versions": ["2.0"]},
        AGS: {"scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                        "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
              "lineitems": "https://platform.example.ac.uk/ags/ctx-42/lineitems",
              "lineitem": "https://platform.example.ac.uk/ags/ctx-42/lineitems/7"},
    }


def deep_linking_claims():
    claims = base_claims()
    claims[C + "message_type"] = "LtiDeepLinkingRequest"
    del claims[C + "resource_link"]
    claims[C + "roles"] = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]
    claims[DL] = {
        "deep_link_return_url": "https://platform.example.ac.uk/deep_links",
        "accept_types": ["ltiResourceLink"],
        "accept_presentation_document_targets": ["iframe", "window"],
        "accept_multiple": False,
        "data": "opaque-csrf-token",
    }
    return claims


def sign_raw(key, header_bytes: bytes, payload_bytes: bytes, alg="RS256") -> str:
    """Signs hand-built header and payload bytes with cryptography directly."""
    signing_input = b64u(header_bytes) + "." + b64u(payload_bytes)
    if alg == "RS256":
        sig = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    else:
        raise ValueError(alg)
    return signing_input + "." + b64u(sig)


def generate(out_path):
    key1, key2, attacker = new_key(), new_key(), new_key()
    jwks_main = {"keys": [jwk_of(key1, "platform-key-1", "RS256"), jwk_of(key2, "platform-key-2"),
                          {"kty": "EC", "crv": "P-256", "kid": "ec-key",
                           "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
                           "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}
    jwks_single = {"keys": [jwk_of(key1, "platform-key-1")]}
    pem1 = pem_private(key1)
    pem2 = pem_private(key2)
    cases = []

    def add(name, token, expect, jwks="main", algs=None, check=False, trusted=None):
        case = {"name": name, "token": token, "expect": expect, "jwks": jwks}
        if algs:
            case["allowed_algs"] = algs
        if trusted:
            case["trusted_audiences"] = trusted
        if check:
            parts = token.split(".")
            case["claims"] = json.loads(b64u_decode(parts[1]))
        cases.append(case)

    def rs(claims, key=pem1, kid="platform-key-1", alg="RS256", extra_headers=None):
        headers = {"typ": "JWT"}
        if kid is not None:
            headers["kid"] = kid
        if extra_headers:
            headers.update(extra_headers)
        token = jwt.encode(claims, key, algorithm=alg, headers=headers)
        if kid is None:
            # PyJWT adds nothing else, but make sure no kid sneaks in.
            assert "kid" not in jwt.get_unverified_header(token)
        return token

    def with_claims(**changes):
        claims = base_claims()
        for k, v in changes.items():
            claims[k.replace("__", "/")] = v
        return claims

    def without(*names):
        claims = base_claims()
        for n in names:
            del claims[n]
        return claims

    valid = rs(base_claims())

    # --- valid launches -------------------------------------------------
    add("ValidResourceLinkLaunch", valid, "ok", check=True)
    add("ValidDeepLinkingRequest", rs(deep_linking_claims()), "ok", check=True)
    add("ValidAfterKeyRotationWithSecondKid", rs(base_claims(), key=pem2, kid="platform-key-2"), "ok")
    add("ValidWithoutKidWhenJwksHasOneKey", rs(base_claims(), kid=None), "ok", jwks="single")
    multi = with_claims(aud=[CLIENT_ID, "another-client"], azp=CLIENT_ID)
    add("ValidWithAudienceArrayAndAzp", rs(multi), "ok", trusted=["another-client"])
    add("ValidWithAudienceArrayOfOne", rs(with_claims(aud=[CLIENT_ID])), "ok")
    add("ValidPs256WhenAllowed", rs(base_claims(), key=pem2, kid="platform-key-2", alg="PS256"), "ok",
        algs=["RS256", "PS256"])
    add("ValidWhenExpiredWithinClockSkew", rs(with_claims(exp=NOW - 30, iat=NOW - 300)), "ok")
    add("ValidWhenIssuedSlightlyInFuture", rs(with_claims(iat=NOW + 30)), "ok")
    add("ValidWithEmptyRolesArray", rs(with_claims(**{C + "roles": []})), "ok")
    add("ValidWithFractionalTimes", rs(with_claims(exp=NOW + 300.5, iat=NOW - 10.25)), "ok")

    # --- algorithm and header attacks ------------------------------------
    claims_bytes = json.dumps(base_claims()).encode()
    add("AlgNoneUnsigned",
        b64u(b'{"alg":"none","typ":"JWT","kid":"platform-key-1"}') + "." + b64u(claims_bytes) + ".",
        "launch_alg_not_allowed")
    public_pem = pem_public(key1)
    hs_input = b64u(b'{"alg":"HS256","typ":"JWT","kid":"platform-key-1"}') + "." + b64u(claims_bytes)
    hs_sig = hmac.new(public_pem, hs_input.encode(), hashlib.sha256).digest()
    add("Hs256SignedWithPublicKeyPem", hs_input + "." + b64u(hs_sig), "launch_alg_not_allowed")
    add("Rs384WhenOnlyRs256Allowed", rs(base_claims(), alg="RS384"), "launch_alg_not_allowed")
    add("Ps256WhenNotAllowed", rs(base_claims(), key=pem2, kid="platform-key-2", alg="PS256"),
        "launch_alg_not_allowed")
    add("Ps256WithKeyDeclaringRs256", rs(base_claims(), alg="PS256"), "launch_key_alg_mismatch",
        algs=["RS256", "PS256"])
    add("SignedWithWrongKey", rs(base_claims(), key=pem_private(attacker)), "launch_signature_invalid")
    add("UnknownKid", rs(base_claims(), kid="rotated-away"), "launch_kid_unknown")
    add("NoKidWithMultiKeyJwks", rs(base_claims(), kid=None), "launch_kid_missing")
    for header in ("jku", "x5u"):
        add(header.capitalize() + "HeaderRefused",
            rs(base_claims(), extra_headers={header: "https://attacker.example/keys"}),
            "launch_header_forbidden")
    add("JwkHeaderRefused", rs(base_claims(), extra_headers={"jwk": jwk_of(attacker, "a")}),
        "launch_header_forbidden")
    add("X5cHeaderRefused", rs(base_claims(), extra_headers={"x5c": ["MIIB"]}), "launch_header_forbidden")
    add("CritHeaderRefused", rs(base_claims(), extra_headers={"crit": ["exp"]}), "launch_header_forbidden")

    # --- tampering --------------------------------------------------------
    h, p, s = valid.split(".")
    tampered_claims = base_claims()
    tampered_claims["sub"] = "someone-else"
    add("TamperedPayloadAfterSigning", h + "." + b64u(json.dumps(tampered_claims).encode()) + "." + s,
        "launch_signature_invalid")
    header = json.loads(b64u_decode(h))
    header["typ"] = "at+jwt"
    add("TamperedHeaderAfterSigning", b64u(json.dumps(header).encode()) + "." + p + "." + s,
        "launch_signature_invalid")
    add("EmptySignature", h + "." + p + ".", "launch_signature_invalid")
    add("TruncatedSignature", h + "." + p + "." + b64u(b64u_decode(s)[:-3]), "launch_signature_invalid")

    # --- structure --------------------------------------------------------
    big = base_claims()
    big[C + "custom"] = {"padding": "x" * 17000}
    add("OversizedToken", rs(big), "launch_token_too_large")
    add("Base64PaddingInHeader", h + "==." + p + "." + s, "launch_token_malformed")
    add("IllegalBase64CharacterPlus", h + "." + p[:-1] + "+" + "." + s, "launch_token_malformed")
    add("IllegalBase64CharacterSlash", h + "." + p + "." + s[:10] + "/" + s[11:], "launch_token_malformed")
    # 256 signature bytes encode to 342 characters; the last carries 2 data
    # bits and 4 bits that must be zero.
    last = s[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    noncanonical = alphabet[alphabet.index(last) | 1]
    add("NonCanonicalBase64TrailingBits", h + "." + p + "." + s[:-1] + noncanonical, "launch_token_malformed")
    add("WhitespaceInToken", h + ". " + p + "." + s, "launch_token_malformed")
    add("TwoParts", h + "." + p, "launch_token_malformed")
    add("FourParts", valid + "." + s, "launch_token_malformed")
    add("EmptyToken", "", "launch_token_malformed")
    add("PayloadNotJson", sign_raw(key1, b'{"alg":"RS256","kid":"platform-key-1"}', b"iss=me"),
        "launch_token_malformed")
    add("PayloadJsonArray", sign_raw(key1, b'{"alg":"RS256","kid":"platform-key-1"}', b'["iss"]'),
        "launch_token_malformed")
    add("HeaderJsonArray", sign_raw(key1, b'["RS256"]', claims_bytes), "launch_token_malformed")
    add("HeaderWithoutAlg", sign_raw(key1, b'{"kid":"platform-key-1"}', claims_bytes), "launch_token_malformed")
    add("HeaderDuplicateAlg",
        sign_raw(key1, b'{"alg":"none","kid":"platform-key-1","alg":"RS256"}', claims_bytes),
        "launch_duplicate_member")
    dup_iss = b'{"iss":"https://attacker.example",' + claims_bytes[1:]
    assert dup_iss.count(b'"iss"') == 2
    add("PayloadDuplicateIss", sign_raw(key1, b'{"alg":"RS256","kid":"platform-key-1"}', dup_iss),
        "launch_duplicate_member")
    nested = claims_bytes[:-1] + b',"' + (C + "context").encode() + b'":{"id":"a","id":"b"}}'
    add("PayloadDuplicateNestedMember",
        sign_raw(key1, b'{"alg":"RS256","kid":"platform-key-1"}', nested), "launch_duplicate_member")

    # --- registered claims ------------------------------------------------
    add("Expired", rs(with_claims(exp=NOW - 120, iat=NOW - 600)), "launch_expired")
    add("IssuedInFuture", rs(with_claims(iat=NOW + 300, exp=NOW + 900)), "launch_issued_in_future")
    add("NotBeforeInFuture", rs(with_claims(nbf=NOW + 300)), "launch_not_yet_valid")
    add("ExpMissing", rs(without("exp")), "launch_exp_missing")
    add("ExpNotANumber", rs(with_claims(exp=str(NOW + 300))), "launch_exp_missing")
    add("ExpBeyondAnyDate", rs(with_claims(exp=2**63 - 1)), "launch_exp_missing")
    add("IatAtMinimumInteger", rs(with_claims(iat=-2**63)), "launch_iat_missing")
    add("IatMissing", rs(without("iat")), "launch_iat_missing")
    add("WrongIssuer", rs(with_claims(iss="https://evil.example")), "launch_iss_mismatch")
    add("IssuerMissing", rs(without("iss")), "launch_iss_mismatch")
    add("WrongAudience", rs(with_claims(aud="someone-else")), "launch_aud_mismatch")
    add("AudienceArrayWithoutClientId", rs(with_claims(aud=["a", "b"], azp="a")), "launch_aud_mismatch")
    add("AudienceMissing", rs(without("aud")), "launch_aud_mismatch")
    add("UntrustedExtraAudience", rs(multi), "launch_aud_untrusted")
    add("MultipleAudiencesWithoutAzp", rs(with_claims(aud=[CLIENT_ID, "another-client"])), "launch_azp_missing",
        trusted=["another-client"])
    add("AzpMismatch", rs(with_claims(aud=[CLIENT_ID, "another-client"], azp="another-client")),
        "launch_azp_mismatch", trusted=["another-client"])
    add("AzpMismatchWithSingleAudience", rs(with_claims(azp="another-client")), "launch_azp_mismatch")
    add("NonceMissing", rs(without("nonce")), "launch_nonce_missing")
    add("NonceMismatch", rs(with_claims(nonce="replayed-nonce")), "launch_nonce_mismatch")
    add("NonceMismatchInLastCharacter", rs(with_claims(nonce=NONCE[:-1] + "k")), "launch_nonce_mismatch")
    add("SubMissing", rs(without("sub")), "launch_sub_missing")
    add("SubEmpty", rs(with_claims(sub="")), "launch_sub_missing")

    # --- LTI claims -------------------------------------------------------
    add("DeploymentUnknown", rs(with_claims(**{C + "deployment_id": "deployment-9"})), "launch_deployment_unknown")
    add("DeploymentMissing", rs(without(C + "deployment_id")), "launch_deployment_missing")
    add("MessageTypeUnknown", rs(with_claims(**{C + "message_type": "LtiSubmissionReviewRequest"})),
        "launch_message_type_unsupported")
    add("MessageTypeMissing", rs(without(C + "message_type")), "launch_message_type_missing")
    add("VersionOnePointOne", rs(with_claims(**{C + "version": "1.1"})), "launch_version_unsupported")
    add("VersionMissing", rs(without(C + "version")), "launch_version_missing")
    add("TargetLinkUriMismatch", rs(with_claims(**{C + "target_link_uri": "https://tool.example.nhs.uk/other"})),
        "launch_target_link_mismatch")
    add("TargetLinkUriMissing", rs(without(C + "target_link_uri")), "launch_target_link_missing")
    add("RolesMissing", rs(without(C + "roles")), "launch_roles_missing")
    add("RolesNotAnArray", rs(with_claims(**{C + "roles": "Learner"})), "launch_roles_malformed")
    add("ResourceLinkMissing", rs(without(C + "resource_link")), "launch_resource_link_missing")
    add("ResourceLinkWithoutId", rs(with_claims(**{C + "resource_link": {"title": "x"}})),
        "launch_resource_link_missing")
    dl = deep_linking_claims()
    del dl[DL]
    add("DeepLinkingRequestWithoutSettings", rs(dl), "launch_deep_linking_settings_missing")
    dl = deep_linking_claims()
    del dl[DL]["deep_link_return_url"]
    add("DeepLinkingRequestWithoutReturnUrl", rs(dl), "launch_deep_linking_settings_missing")
    add("EmailNotAString", rs(with_claims(email=["a@example.nhs.uk"])), "launch_claim_malformed")
    add("ContextWithoutId", rs(with_claims(**{C + "context": {"label": "x"}})), "launch_claim_malformed")

    doc = {
        "now": NOW,
        "expectations": {"issuer": ISSUER, "client_id": CLIENT_ID, "deployment_ids": [DEPLOYMENT_ID],
                         "nonce": NONCE, "target_link_uri": TARGET},
        "jwks": {"main": json.dumps(jwks_main), "single": json.dumps(jwks_single)},
        "cases": cases,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)


def thumbprint(jwk):
    canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"),
                           sort_keys=True)
    return b64u(hashlib.sha256(canonical.encode()).digest())


def verify(jwk_path, pem_path, token):
    with open(jwk_path, encoding="utf-8") as f:
        jwk = json.load(f)
    with open(pem_path, "rb") as f:
        pem_key = serialization.load_pem_public_key(f.read())
    jwk_key = RSAAlgorithm.from_jwk(json.dumps(jwk))
    if jwk_key.public_numbers() != pem_key.public_numbers():
        print("JWK and PEM hold different keys", file=sys.stderr)
        sys.exit(2)
    try:
        header = jwt.get_unverified_header(token)
        payload = jwt.decode(token, jwk_key, algorithms=["RS256"],
                             options={"verify_aud": False, "verify_exp": False, "verify_iat": False})
    except jwt.PyJWTError as e:
        print("PyJWT refused the token: %s" % e, file=sys.stderr)
        sys.exit(1)
    print(json.dumps({"header": header, "payload": payload, "thumbprint": thumbprint(jwk)}))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "generate":
        generate(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "verify":
        verify(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(64)


if __name__ == "__main__":
    main()
