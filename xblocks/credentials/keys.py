"""
The issuer's keys (Ed25519 for EdDSA, RSA for RS256): the one that signs, the older ones that still
verify, and their JWKs.

A key is named by its RFC 7638 JWK thumbprint, so a credential's ``kid`` names exactly one key
whatever file it came from. The key ``kid`` points at is served at
``<BASE_URL>/learning-citizen/credentials/keys/<thumbprint>`` for verifiers elsewhere.
"""
import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .settings import credential_settings


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


# The JWS algorithms the issuer signs with, by key type. OB 3.0 names RS256 as the one every
# verifier supports; EdDSA (Ed25519) gives short keys and signatures.
ALGORITHMS = ("EdDSA", "RS256")
MIN_RSA_BITS = 2048


def algorithm_of(public_key):
    return "RS256" if isinstance(public_key, rsa.RSAPublicKey) else "EdDSA"


def _uint(number):
    return _b64url(number.to_bytes((number.bit_length() + 7) // 8 or 1, "big"))


def public_jwk(public_key):
    """The public JWK without ``kid``: OKP (RFC 8037) for Ed25519, RSA (RFC 7518 §6.3) for RSA."""
    if isinstance(public_key, rsa.RSAPublicKey):
        numbers = public_key.public_numbers()
        return {"kty": "RSA", "n": _uint(numbers.n), "e": _uint(numbers.e)}
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def thumbprint(public_key):
    """RFC 7638 thumbprint: SHA-256 of the JWK's required members, sorted, no spaces."""
    members = public_jwk(public_key)
    required = ("e", "kty", "n") if members["kty"] == "RSA" else ("crv", "kty", "x")
    canonical = json.dumps({name: members[name] for name in required}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


@dataclass(frozen=True)
class IssuerKey:
    public_key: Ed25519PublicKey | rsa.RSAPublicKey
    private_key: Ed25519PrivateKey | rsa.RSAPrivateKey | None = None

    @property
    def thumbprint(self):
        return thumbprint(self.public_key)

    @property
    def algorithm(self):
        """The one JWS algorithm this key signs and verifies with."""
        return algorithm_of(self.public_key)

    def jwk(self, base_url=None):
        """The public JWK, with its ``kid`` (the URL it is served at) when ``base_url`` is given."""
        members = public_jwk(self.public_key)
        members["use"], members["alg"] = "sig", self.algorithm
        if base_url:
            members["kid"] = key_url(base_url, self.thumbprint)
        return members


def key_url(base_url, key_thumbprint):
    return f"{base_url.rstrip('/')}/learning-citizen/credentials/keys/{key_thumbprint}"


def generate_key_file(path, algorithm="EdDSA"):
    """Write a new private key for ``algorithm`` (Ed25519, or 3072-bit RSA) as PKCS#8 PEM, readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    private = rsa.generate_private_key(65537, 3072) if algorithm == "RS256" else Ed25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def load_key_file(path):
    """An :class:`IssuerKey` from a PEM file holding an Ed25519 or RSA (2048 bits or more) private or public key."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput([Problem(N_("cannot read the key file {path}: {reason}"), {"path": str(path), "reason": error.strerror})]) from None
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(data, password=None)
            if not isinstance(private, (Ed25519PrivateKey, rsa.RSAPrivateKey)):
                raise ValueError("neither Ed25519 nor RSA")
            key = IssuerKey(private.public_key(), private)
        else:
            public = serialization.load_pem_public_key(data)
            if not isinstance(public, (Ed25519PublicKey, rsa.RSAPublicKey)):
                raise ValueError("neither Ed25519 nor RSA")
            key = IssuerKey(public)
    except (ValueError, TypeError):
        raise InvalidInput([Problem(N_("{path} is not an unencrypted Ed25519 or RSA key in PEM format"), {"path": str(path)})]) from None
    if isinstance(key.public_key, rsa.RSAPublicKey) and key.public_key.key_size < MIN_RSA_BITS:
        raise InvalidInput([Problem(N_("the RSA key {path} has {bits} bits; at least 2048 are needed"),
                                    {"path": str(path), "bits": key.public_key.key_size})])
    return key


def signing_key(config=None):
    """The configured signing key (generated first when the settings allow), or raise InvalidInput."""
    config = config or credential_settings()
    path = config["SIGNING_KEY_PATH"]
    if not path:
        raise InvalidInput([Problem(N_("no signing key is configured (LEARNING_CITIZEN_CREDENTIALS['SIGNING_KEY_PATH'])"))])
    algorithm = config.get("SIGNING_ALGORITHM") or "EdDSA"
    if algorithm not in ALGORITHMS:
        raise InvalidInput([Problem(N_("unknown signing algorithm {algorithm}: choose EdDSA or RS256"), {"algorithm": algorithm})])
    if config["GENERATE_KEY"] and not Path(path).exists():
        try:
            generate_key_file(path, algorithm)
        except FileExistsError:  # another process generated it first
            pass
    key = load_key_file(path)
    if key.private_key is None:
        raise InvalidInput([Problem(N_("the signing key file {path} holds a public key; signing needs the private key"), {"path": str(path)})])
    if key.algorithm != algorithm:
        raise InvalidInput([Problem(N_("the signing key file {path} is a key for {key_algorithm}, not for the chosen algorithm {algorithm}"),
                                    {"path": str(path), "key_algorithm": key.algorithm, "algorithm": algorithm})])
    return key


def trusted_keys(config=None):
    """``{thumbprint: IssuerKey}``: the signing key (when configured) and every older trusted key."""
    config = config or credential_settings()
    keys = {}
    if config["SIGNING_KEY_PATH"] and (Path(config["SIGNING_KEY_PATH"]).exists() or config["GENERATE_KEY"]):
        key = signing_key(config)
        keys[key.thumbprint] = key
    for path in config["TRUSTED_KEY_PATHS"] or ():
        key = load_key_file(path)
        keys.setdefault(key.thumbprint, key)
    return keys
