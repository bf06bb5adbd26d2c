"""
The issuer's Ed25519 keys: the one that signs, the older ones that still verify, and their JWKs.

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
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xblocks.criteria.problems import N_, InvalidInput, Problem

from .settings import credential_settings


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def public_jwk(public_key):
    """The OKP JWK (RFC 8037) of an Ed25519 public key, without ``kid``."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw)}


def thumbprint(public_key):
    """RFC 7638 thumbprint: SHA-256 of the JWK's required members, sorted, no spaces."""
    members = public_jwk(public_key)
    canonical = json.dumps({name: members[name] for name in ("crv", "kty", "x")}, separators=(",", ":"), sort_keys=True)
    return _b64url(hashlib.sha256(canonical.encode("ascii")).digest())


@dataclass(frozen=True)
class IssuerKey:
    public_key: Ed25519PublicKey
    private_key: Ed25519PrivateKey | None = None

    @property
    def thumbprint(self):
        return thumbprint(self.public_key)

    def jwk(self, base_url=None):
        """The public JWK, with its ``kid`` (the URL it is served at) when ``base_url`` is given."""
        members = public_jwk(self.public_key)
        members["use"], members["alg"] = "sig", "EdDSA"
        if base_url:
            members["kid"] = key_url(base_url, self.thumbprint)
        return members


def key_url(base_url, key_thumbprint):
    return f"{base_url.rstrip('/')}/learning-citizen/credentials/keys/{key_thumbprint}"


def generate_key_file(path):
    """Write a new Ed25519 private key as PKCS#8 PEM, readable by its owner only."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return path


def load_key_file(path):
    """An :class:`IssuerKey` from a PEM file holding an Ed25519 private or public key."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput([Problem(N_("cannot read the key file {path}: {reason}"), {"path": str(path), "reason": error.strerror})]) from None
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(data, password=None)
            if not isinstance(private, Ed25519PrivateKey):
                raise ValueError("not Ed25519")
            return IssuerKey(private.public_key(), private)
        public = serialization.load_pem_public_key(data)
        if not isinstance(public, Ed25519PublicKey):
            raise ValueError("not Ed25519")
        return IssuerKey(public)
    except (ValueError, TypeError):
        raise InvalidInput([Problem(N_("{path} is not an unencrypted Ed25519 key in PEM format"), {"path": str(path)})]) from None


def signing_key(config=None):
    """The configured signing key (generated first when the settings allow), or raise InvalidInput."""
    config = config or credential_settings()
    path = config["SIGNING_KEY_PATH"]
    if not path:
        raise InvalidInput([Problem(N_("no signing key is configured (LEARNING_CITIZEN_CREDENTIALS['SIGNING_KEY_PATH'])"))])
    if config["GENERATE_KEY"] and not Path(path).exists():
        try:
            generate_key_file(path)
        except FileExistsError:  # another process generated it first
            pass
    key = load_key_file(path)
    if key.private_key is None:
        raise InvalidInput([Problem(N_("the signing key file {path} holds a public key; signing needs the private key"), {"path": str(path)})])
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
