#!/usr/bin/env python3
"""Seeds and dictionaries for every fuzz target (docs/fuzzing.md).

Run from the repository root or anywhere: `python3 fuzz/seed.py [--vitale BIN]`.
Writes `fuzz/corpus/<target>/seed-*` and `fuzz/dict/<target>.dict` (both
ignored by git: they are regenerated, never hand-edited).

Every seed comes from the project's own data, not from hand-copied bytes:

* the test vectors in `docs/vectors/` (presentations, credentials,
  delegations, APDUs, signatures, trust lists, care sheets, receipts) and
  the JSON examples in `docs/online/` and `docs/json/`;
* the simulator, through the `vitale` command (`vitale sim init`, `sim
  present --png`, `--profile token`, `--delegate`, `ins datamatrix
  encode`): trust lists in both forms, the root and professional keys, QR
  images of presentations, tokens, a Datamatrix INS payload. The binary is
  `--vitale BIN` if it exists, else `target/debug/vitale` when a test run
  built it, else `cargo run -q -p vitale-cli --`.

Targets whose input starts with a mode byte (see each target's header)
get their seeds with that byte in front.

Dictionaries hold the format's prefixes (`VT1:`, `VT1B:`, `SIMTOK1.`), the
INS OIDs, the CBOR heads of the data model's integer keys and of the COSE
headers, and the JSON keys of the documents each target reads.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
FUZZ = os.path.join(ROOT, "fuzz")
NOW = 1_795_334_400  # 2026-11-22T08:00:00Z, the targets' clock
NOW_TEXT = "2026-11-22T08:00:00Z"

corpora = {}


def seed(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    seeds = corpora.setdefault(target, [])
    seeds.append((name or f"seed-{len(seeds):03}", data))


def load(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def load_json(path):
    return json.loads(load(path))


def der_int(b):
    b = b.lstrip(b"\x00") or b"\x00"
    if b[0] & 0x80:
        b = b"\x00" + b
    return b"\x02" + bytes([len(b)]) + b


def der_seq(body):
    assert len(body) < 128
    return b"\x30" + bytes([len(body)]) + body


def pem(label, der):
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----\n"


P256_OIDS = bytes.fromhex("301306072a8648ce3d020106082a8648ce3d030107")


def pkcs8(scalar):
    """RFC 5208 PrivateKeyInfo around an RFC 5915 ECPrivateKey (no public key)."""
    ec = der_seq(b"\x02\x01\x01\x04\x20" + scalar)
    body = b"\x02\x01\x00" + P256_OIDS + b"\x04" + bytes([len(ec)]) + ec
    return b"\x30\x81" + bytes([len(body)]) + body if len(body) >= 128 else der_seq(body)


def sec1(scalar):
    """RFC 5915 ECPrivateKey with the named curve."""
    return der_seq(b"\x02\x01\x01\x04\x20" + scalar + bytes.fromhex("a00a06082a8648ce3d030107"))


def signature_der(rs):
    return der_seq(der_int(rs[:32]) + der_int(rs[32:]))


def cose_signature(envelope):
    """The last 64 bytes of a tagged COSE_Sign1 are its signature (bstr .size 64)."""
    assert envelope[-66:-64] == b"\x58\x40"
    return envelope[-64:]


QR_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def vitale_command(arg):
    if arg and os.path.exists(os.path.join(ROOT, arg)):
        return [os.path.join(ROOT, arg)]
    built = os.path.join(ROOT, "target", "debug", "vitale")
    if os.path.exists(built):
        return [built]
    return ["cargo", "run", "-q", "-p", "vitale-cli", "--"]


def run(cmd, *args, stdin=None):
    out = subprocess.run(
        cmd + list(args), cwd=ROOT, input=stdin, capture_output=True, check=True
    )
    return out.stdout


def from_vectors():
    v = load_json("docs/vectors/open-profile-v1.json")
    h = {k: bytes.fromhex(v[k]) for k in v if not k.endswith("text") and k != "presentation-qr-base64url"}
    presentations = [h["presentation-qr"], h["presentation-nfc"], h["presentation-delegated"]]
    for p in presentations:
        seed("presentation", b"\x00" + p)
        seed("verifier", b"\x00" + p)
        seed("apdu_response", p + b"\x90\x00")
    for k in ["credential", "credential-payload", "delegation"]:
        seed("credential", b"\x00" + h[k])
    seed("to_be_signed", h["presentation-nfc-to-be-signed"])
    for k in ["presentation-qr-text", "presentation-qr-base64url"]:
        seed("text_form", v[k])
        seed("verifier", b"\x00" + v[k].encode())
        seed("wedge", b"\x00" + v[k].encode() + b"\r\n")
        seed("serial_lines", b"\x01" + v[k].encode() + b"\r\n")
        seed("ffi_json", b'{"at": %d}\x00' % NOW + v[k].encode())
    seed("base45", v["presentation-qr-text"][len("VT1:"):])
    seed("apdu_response", h["apdu-select"])
    seed("apdu_response", h["apdu-get-presentation"])
    # vpcd frames: a cut size, then length-prefixed frames (power on, ATR,
    # SELECT, GET PRESENTATION).
    frames = b"\x00\x01\x01\x00\x01\x04"
    for k in ["apdu-select", "apdu-get-presentation"]:
        frames += len(h[k]).to_bytes(2, "big") + h[k]
    for cut in [1, 3, 64]:
        seed("vpcd_frames", bytes([cut]) + frames)
    # nfc_session: flags (a well-formed SELECT answer first), then the
    # presentation in one response record.
    p = h["presentation-nfc"]
    records = b""
    parts = [p[i : i + 250] for i in range(0, len(p), 250)]
    for i, part in enumerate(parts):
        sw = b"\x90\x00" if i == len(parts) - 1 else b"\x61\x00"
        records += bytes([len(part) + 2]) + part + sw
    seed("nfc_session", b"\x04\x20\x00" + records)
    # Keys and signatures.
    for k in ["issuer-spki", "device-public-key"]:
        seed("der_keys", h[k])
    for p in presentations + [h["credential"], h["delegation"]]:
        seed("der_keys", signature_der(cose_signature(p)))
    for k in ["device-private-key", "issuer-private-key", "delegate-private-key"]:
        scalar = h[k]
        seed("key_file", b"\x00" + scalar.hex().encode())
        seed("key_file", b"\x00" + pem("PRIVATE KEY", pkcs8(scalar)).encode())
        seed("key_file", b"\x01" + pkcs8(scalar))
        seed("key_file", b"\x02" + sec1(scalar))
    seed("key_file", b"\x03" + h["issuer-spki"])
    seed("key_file", b"\x00" + pem("PUBLIC KEY", h["issuer-spki"]).encode())

    t = load_json("docs/vectors/trust-list-v1.json")
    seed("trust_list", b"\x00" + bytes.fromhex(t["trust-list-cbor"]))
    seed("trust_list", b"\x00" + t["trust-list-jws-text"].encode())
    for k in ["root-spki", "issuer-spki", "receipt-spki"]:
        seed("der_keys", bytes.fromhex(t[k]))
        seed("key_file", b"\x03" + bytes.fromhex(t[k]))
    seed("der_keys", signature_der(cose_signature(bytes.fromhex(t["trust-list-cbor"]))))

    sheet = load_json("docs/vectors/care-sheet-v1.json")
    for k in ["sheet-cbor", "signed-sheet"]:
        seed("fse_sheet", bytes.fromhex(sheet[k]))
    seed("fse_sheet", sheet["sheet-json"] if isinstance(sheet["sheet-json"], str) else json.dumps(sheet["sheet-json"]))
    seed("fse_receipt", bytes.fromhex(sheet["signed-receipt"]))
    # A lot holds signed sheets: their CBOR starts the lot decoder off.
    for k in ["signed-sheet", "sheet-cbor"]:
        seed("fse_lot", bytes.fromhex(sheet[k]))
    seed("key_file", b"\x00" + sheet["professional-private-key"].encode())
    seed("tariff_table", load("crates/vitale-fse/data/tariffs.csv"))

    for n in sorted(os.listdir(os.path.join(ROOT, "docs/online"))):
        body = load(os.path.join("docs/online", n))
        seed("context_json", body, f"seed-{n}")
        seed("ffi_json", b'{"at": %d}\x00\x00' % NOW + body + b"\x00/token")
    seed("token_text", load_json("docs/online/open-request.json")["token"])
    rights = load_json("docs/json/rights.json")
    for n in ["rights", "query_by_certified_nir", "query_through_insured"]:
        seed("rights_json", json.dumps(rights[n]))
    model = load_json("docs/json/model.json")
    seed("nir", model["insured"]["nir"])
    for b in model["beneficiaries"]:
        seed("cli_args", b["birth_date"])
        seed("cli_args", f"{b['birth_date'][:4]}-{b['birth_date'][4:6]}-{b['birth_date'][6:]}")
        seed("cli_args", b["sex"].lower())
        if b["ins"]:
            seed("nir", b["ins"]["matricule"])
            seed("cli_args", b["ins"]["oid"])
    for text in ["nir", "NIA", "test", "demo", NOW_TEXT, f"@{NOW}"]:
        seed("cli_args", text)
    for text in ["memory", "sqlite:/var/lib/vitale/state.sqlite",
                 "postgres://vitale:secret@db.example:5432/vitale?sslmode=require",
                 "postgres:host=/run/postgresql user=vitale dbname=vitale"]:
        seed("store_location", text)
    return h, model


def from_simulator(vitale, model):
    with tempfile.TemporaryDirectory() as d:
        run(vitale, "sim", "init", "--dir", d, "--seed", "7", "--beneficiaries", "3",
            "--at", NOW_TEXT, "--force")
        cbor = open(os.path.join(d, "trust-list.cbor"), "rb").read()
        jws = open(os.path.join(d, "trust-list.json"), "rb").read()
        seed("trust_list", b"\x00" + cbor)
        seed("trust_list", b"\x00" + jws)
        seed("ffi_json", b'{"at": %d}' % NOW)
        root = open(os.path.join(d, "root.spki.der"), "rb").read()
        professional = open(os.path.join(d, "professional.spki.der"), "rb").read()
        for der in [root, professional]:
            seed("der_keys", der)
            seed("key_file", b"\x03" + der)
            seed("key_file", b"\x00" + pem("PUBLIC KEY", der).encode())
        for name in ["professional.key", "receipt.key"]:
            key = open(os.path.join(d, name), "rb").read()
            seed("key_file", b"\x00" + key)
            scalar = bytes.fromhex(key.decode().strip())
            seed("key_file", b"\x00" + pem("EC PRIVATE KEY", sec1(scalar)).encode())
        for i, args in enumerate([[], ["--delegate", "CLAIRE", "--ranks", "2,3"]]):
            png = os.path.join(d, f"code{i}.png")
            text = run(vitale, "sim", "present", "--dir", d, "--at", NOW_TEXT, "--png", png, *args)
            text = text.decode().strip()
            seed("qr_image", b"\x00" + open(png, "rb").read())
            # Rendered mode: kind 0 (undamaged), module size, then the
            # text as indices into the target's alphabet.
            indices = bytes(QR_ALPHABET.index(c) for c in text if c in QR_ALPHABET)
            seed("qr_image", b"\x02\x00\x01\x00\x00" + indices[:300])
            seed("verifier", b"\x00" + text.encode())
            seed("text_form", text)
            seed("wedge", b"\x02" + b"]Q1" + text.encode() + b"\n")
            seed("serial_lines", b"\x00" + text.encode() + b"\r")
        token = run(vitale, "sim", "present", "--dir", d, "--profile", "token", "--at", NOW_TEXT)
        token = token.decode().strip()
        seed("token_text", token)
        seed("wedge", b"\x00" + token.encode() + b"\r\n")
        seed("ffi_json", b'{"at": %d}\x00' % NOW + token.encode())
    b = next(x for x in model["beneficiaries"] if x["ins"])
    payload = run(vitale, "ins", "datamatrix", "encode",
                  "--matricule", b["ins"]["matricule"], "--oid", b["ins"]["oid"],
                  "--given-names", b["first_names"], "--birth-name", b["birth_name"],
                  "--sex", b["sex"], "--birth-date", b["birth_date"],
                  "--birth-place", b["ins"]["birthplace"])
    seed("datamatrix_ins", payload.rstrip(b"\r\n"))


def structured():
    """Seeds of the `arbitrary` modes: any bytes make a description; a few
    patterns start the fuzzer off in different corners."""
    patterns = [bytes(range(256)), bytes([0x00] * 64), bytes([0xFF] * 64),
                bytes((i * 37) & 0xFF for i in range(512))]
    for target in ["verifier", "presentation", "credential", "trust_list"]:
        for p in patterns:
            seed(target, b"\x01" + p)
    # The agent's parsers: the first byte picks one (0 query, 1 line,
    # 2 rights, 3 bill, 4 NFC read, 5 NFC cancel).
    for which, body in [
        (0, b"width=640&height=480"),
        (0, b"job=n-00112233445566778899aabbccddeeff&token=" + b"ab" * 32),
        (1, b'{"line": "VT1:6BFOXN*TS0BI$ZD4"}'),
        (2, b'{"card_id": "c-00112233445566778899aabbccddeeff", "rank": 1, "date": "2026-11-30"}'),
        (3, b'{"card_id": "c-0", "visit": {"rank": 1, "date": "2026-11-30", "acts": ["G", {"act": "DEQP003", "extra_fee_cents": 500, "scope": "long_term_condition"}], "pathway": "referred", "third_party": true}}'),
        (4, b'{"reader": null, "timeout_ms": 60000}'),
        (5, b'{"job": "n-00112233445566778899aabbccddeeff"}'),
    ]:
        seed("agent_request", bytes([which]) + body)
    for p in patterns:
        seed("serial_lines", p)
        seed("qr_image", b"\x01" + bytes([40, 40]) + p)


# Dictionary entries, by group.
def cbor_uint(n):
    return bytes([n]) if n < 24 else bytes([0x18, n])


CBOR = [cbor_uint(n) for n in range(1, 26)] + [
    b"\xd2\x84",  # tag 18 (COSE_Sign1), array(4)
    b"\xa1\x01\x26",  # protected {1: -7}
    b"\xa2\x01\x26\x04\x48",  # protected {1: -7, 4: bstr(8)}
    b"\x58\x40",  # bstr(64): a signature
    b"\x50",  # bstr(16): ids, nonces, challenges
    b"\x58\x21", b"\x58\x41",  # compressed and uncompressed points
    b"\xa4\x01\x02\x20\x01",  # COSE_Key {1: 2 (EC2), -1: 1 (P-256)
    b"\x21\x58\x20", b"\x22\x58\x20",  # -2: x, -3: y
    b"\x1a\x6a\xfa\x8d\x00",  # uint32 around the targets' clock
    b"\xf4", b"\xf5", b"\xf6", b"\x80", b"\xa0", b"\x60", b"\x40",
]
PREFIXES = [b"VT1:", b"VT1B:", b"SIMTOK1.", b"]Q1", b"\r\n", b"\t"]
OIDS = [b"1.2.250.1.213.1.4.8", b"1.2.250.1.213.1.4.9", b"1.2.250.1.213.1.4.10",
        b"1.2.250.1.213.1.4.11", b"nir", b"nia", b"test", b"demo",
        bytes.fromhex("06072a8648ce3d0201"), bytes.fromhex("06082a8648ce3d030107"),
        bytes.fromhex("06052b81040022")]
DER = [b"\x30\x44\x02\x20", b"\x30\x45\x02\x21\x00", b"\x02\x20", b"\x02\x21\x00",
       bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200"),
       b"\x03\x42\x00\x04", b"-----BEGIN PRIVATE KEY-----", b"-----END PRIVATE KEY-----",
       b"-----BEGIN EC PRIVATE KEY-----", b"-----BEGIN PUBLIC KEY-----", b"-----END PUBLIC KEY-----"]
APDU = [bytes.fromhex(x) for x in ["00a40400", "80ca0000", "00c00000", "9000", "6100", "6982", "6a82"]]
IMAGE = [b"\x89PNG\r\n\x1a\n", b"IHDR", b"IDAT", b"IEND", b"\xff\xd8\xff", b"GIF89a", b"RIFF", b"WEBPVP8 "]
TIMES = [NOW_TEXT.encode(), b"@%d" % NOW, b"@0", b"1970-01-01T00:00:00Z", b"-", b"T", b"Z"]
STORE = [b"memory", b"sqlite:", b"postgres:", b"postgres://", b"postgresql://", b"host=", b"user=",
         b"password=", b"dbname=", b"sslmode=", b":5432", b"@", b"?"]


def json_keys(*paths):
    keys = set()

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                keys.add(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    for p in paths:
        full = os.path.join(ROOT, p)
        names = [os.path.join(p, n) for n in sorted(os.listdir(full))] if os.path.isdir(full) else [p]
        for n in names:
            if n.endswith(".json"):
                walk(load_json(n))
    return [f'"{k}"'.encode() for k in sorted(keys)]


def dictionaries():
    model = json_keys("docs/json")
    online = json_keys("docs/online")
    trust = [b'"sequence"', b'"issued_at"', b'"expires_at"', b'"keys"', b'"kid"', b'"spki"',
             b'"x5c"', b'"usages"', b'"label"', b'"not_before"', b'"credential"',
             b'"delegation"', b'"receipt"', b'"alg"', b'"ES256"', b'"typ"']
    groups = {
        "verifier": CBOR + PREFIXES,
        "presentation": CBOR + PREFIXES,
        "credential": CBOR + OIDS,
        "to_be_signed": CBOR + [b"\x6aSignature1"],
        "trust_list": CBOR + DER + trust,
        "text_form": PREFIXES,
        "base45": [b" ", b"$", b"%", b"*", b"+", b"-", b".", b"/", b":"],
        "wedge": PREFIXES + [b"&", b"\xc3\xa9", b'"', b"'", b"(", b"Q", b"A", b"W", b"Z", b"M", b";"],
        "serial_lines": PREFIXES + [b"\x00", b"\xe9"],
        "token_text": PREFIXES,
        "apdu_response": APDU,
        "nfc_session": APDU,
        "vpcd_frames": APDU + [b"\x00\x01\x01", b"\x00\x01\x04"],
        "qr_image": IMAGE + PREFIXES,
        "der_keys": DER + OIDS,
        "key_file": DER,
        "cli_args": OIDS + TIMES,
        "nir": [b"2A", b"2B", b"97", b"99"],
        "datamatrix_ins": OIDS + [b"\x1d", b"\x1f", b"DC04", b"S1", b"S2", b"S3", b"S4", b"S5"],
        "store_location": STORE,
        "context_json": online,
        "rights_json": json_keys("docs/json/rights.json"),
        "ffi_json": online + model + PREFIXES + [b'"at"', b'"replay_cache"'],
        "fse_sheet": CBOR + model,
        "fse_lot": CBOR,
        "fse_receipt": CBOR,
        "tariff_table": [b"NGAP", b"CCAM", b";", b","],
        "agent_request": [b'"card_id"', b'"rank"', b'"date"', b'"visit"', b'"acts"', b'"pathway"',
                          b'"third_party"', b'"line"', b'"reader"', b'"timeout_ms"', b'"job"',
                          b'"extra_fee_cents"', b'"scope"', b"width=", b"height=", b"&token="],
    }
    d = os.path.join(FUZZ, "dict")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for target, entries in groups.items():
        with open(os.path.join(d, f"{target}.dict"), "w") as f:
            f.write(f"# {target}: generated by fuzz/seed.py\n")
            for e in dict.fromkeys(entries):
                f.write('"' + "".join(f"\\x{b:02x}" for b in e) + '"\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vitale", help="the vitale binary (default: target/debug/vitale or cargo run)")
    parser.add_argument("--no-simulator", action="store_true", help="vectors only")
    args = parser.parse_args()
    _, model = from_vectors()
    if not args.no_simulator:
        from_simulator(vitale_command(args.vitale), model)
    structured()
    dictionaries()
    for target, seeds in sorted(corpora.items()):
        d = os.path.join(FUZZ, "corpus", target)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if name.startswith("seed-"):
                os.remove(os.path.join(d, name))
        for name, data in seeds:
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    print(f"seeded {sum(len(s) for s in corpora.values())} inputs for {len(corpora)} targets; "
          f"dictionaries in fuzz/dict/", file=sys.stderr)


if __name__ == "__main__":
    main()
