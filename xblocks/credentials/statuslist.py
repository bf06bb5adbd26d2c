"""
W3C Bitstring Status List: the bits, their encoding, and the list credential (pure functions).

Bit ``i`` is the ``i``-th bit counting from the most significant bit of the first byte; a set bit
means "revoked". ``encodedList`` is the GZIP-compressed bitstring, base64url without padding,
with the multibase prefix ``u``.
"""
import base64
import gzip

from xblocks.criteria.problems import N_, InvalidInput, Problem

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
MIN_SIZE = 131072  # bits: the specification's minimum, so one list hides among many learners


def encode(revoked_indexes, size):
    """The ``encodedList`` for a list of ``size`` bits with ``revoked_indexes`` set."""
    bits = bytearray((size + 7) // 8)
    for index in revoked_indexes:
        if not 0 <= index < size:
            raise ValueError(f"status index {index} is outside a list of {size} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded_list):
    """The bitstring (bytes) an ``encodedList`` holds, or raise InvalidInput."""
    if not isinstance(encoded_list, str) or not encoded_list.startswith("u"):
        raise InvalidInput([Problem(N_("the status list is not multibase base64url (it must start with u)"))])
    body = encoded_list[1:]
    try:
        return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError):
        raise InvalidInput([Problem(N_("the status list cannot be decoded"))]) from None


def bit_is_set(bitstring, index):
    if not 0 <= index < len(bitstring) * 8:
        raise InvalidInput([Problem(N_("status index {index} is outside the status list"), {"index": index})])
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url, index):
    """A credential's ``credentialStatus`` pointing at bit ``index`` of the list at ``list_url``."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(*, list_url, issuer_id, valid_from, revoked_indexes, size):
    """The BitstringStatusListCredential document (unsigned) for one list."""
    return {
        "@context": [VC_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(revoked_indexes, size),
        },
    }
