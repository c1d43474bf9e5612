"""The vitale C ABI from Python (ctypes): load a trust list, verify a QR text
and a PNG, print the beneficiaries, show the error kind of a tampered code
and of a replayed one.

    python3 sample.py LIBRARY DIR

LIBRARY is the shared library (libvitale_ffi.so, vitale_ffi.dll); DIR holds
trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png and
tampered.txt. Exit status 0 when every step went as expected.
"""
import ctypes
import json
import os
import sys

OK = 0
BUFFER_TOO_SMALL = 4
ABI_VERSION = 1


class Vitale:
    """Thin ctypes wrapper: every call checks its status, every library
    string is copied then freed."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        p, c, st, sz = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_size_t
        out = ctypes.POINTER(ctypes.c_void_p)
        lib.vitale_abi_version.restype = ctypes.c_uint32
        lib.vitale_version.restype = c
        lib.vitale_terminal_new.argtypes = [c, sz, c, sz, c, out]
        lib.vitale_terminal_new.restype = st
        lib.vitale_terminal_free.argtypes = [p]
        lib.vitale_terminal_free.restype = None
        for name in ("vitale_terminal_verify_text", "vitale_terminal_verify_scanner_line",
                     "vitale_terminal_read_image_file"):
            getattr(lib, name).argtypes = [p, c, out, out]
            getattr(lib, name).restype = st
        lib.vitale_terminal_read_image.argtypes = [p, c, sz, out, out]
        lib.vitale_terminal_read_image.restype = st
        lib.vitale_string_free.argtypes = [p]
        lib.vitale_string_free.restype = None
        # Billing (docs/ffi.md), and the trust-list refresher (declared,
        # not called here).
        lib.vitale_rights_service_new.argtypes = [c, out]
        lib.vitale_invoice_numbers_open.argtypes = [c, out]
        lib.vitale_billing_new.argtypes = [p, p, p, c, c, sz, out]
        lib.vitale_billing_bill.argtypes = [p, p, c, out]
        lib.vitale_sheet_verify.argtypes = [c, sz, c, sz, out]
        lib.vitale_receipt_verify.argtypes = [p, c, sz, out]
        lib.vitale_trust_refresher_new.argtypes = [p, c, out]
        for name in ("vitale_rights_service_new", "vitale_invoice_numbers_open",
                     "vitale_billing_new", "vitale_billing_bill", "vitale_sheet_verify",
                     "vitale_receipt_verify", "vitale_trust_refresher_new"):
            getattr(lib, name).restype = st
        for name in ("vitale_rights_service_free", "vitale_invoice_numbers_free",
                     "vitale_billing_free", "vitale_card_free", "vitale_trust_refresher_free"):
            getattr(lib, name).argtypes = [p]
            getattr(lib, name).restype = None
        for name in ("vitale_last_error_kind", "vitale_last_error_message"):
            getattr(lib, name).argtypes = [ctypes.c_char_p, sz, ctypes.POINTER(sz)]
            getattr(lib, name).restype = st
        self.lib = lib

    def _text(self, ptr):
        """A library-owned string: copied, then freed."""
        try:
            return ctypes.string_at(ptr).decode("utf-8")
        finally:
            self.lib.vitale_string_free(ptr)

    def _buffer(self, function):
        """A caller-owned buffer, grown to the size the library asks."""
        needed = ctypes.c_size_t(0)
        function(None, 0, ctypes.byref(needed))
        buf = ctypes.create_string_buffer(needed.value)
        status = function(buf, needed.value, ctypes.byref(needed))
        if status != OK:
            raise RuntimeError("buffer status %d" % status)
        return buf.value.decode("utf-8")

    def last_error(self):
        return (self._buffer(self.lib.vitale_last_error_kind),
                self._buffer(self.lib.vitale_last_error_message))

    def terminal(self, trust_list, root, options):
        handle = ctypes.c_void_p()
        status = self.lib.vitale_terminal_new(trust_list, len(trust_list), root, len(root),
                                              options.encode("utf-8"), ctypes.byref(handle))
        return status, handle

    def take_json(self, ptr):
        """A library-owned JSON string: parsed, then freed."""
        return json.loads(self._text(ptr))

    def call_json(self, name, *args):
        """Calls a reading function asking for JSON only: (status, dict or None)."""
        result = ctypes.c_void_p()
        status = getattr(self.lib, name)(*args, None, ctypes.byref(result))
        if status != OK:
            return status, None
        return status, json.loads(self._text(result))


def show_card(what, card):
    beneficiaries = card["card"]["beneficiaries"]
    print("%s: ACCEPTED, %d beneficiaries" % (what, len(beneficiaries)))
    for b in beneficiaries:
        print("  rank %d: %s %s" % (b["rank"], b["birth_name"], b["first_names"]))


def bill(vitale, folder, terminal, card):
    """Bills one visit for `card` and checks the signed receipt; True when
    both went through."""
    def text(name):
        with open(os.path.join(folder, name), "r") as f:
            return f.read().strip().encode("utf-8")

    lib = vitale.lib
    rights, numbers, billing = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    with open(os.path.join(folder, "professional.key"), "rb") as f:
        key = f.read()
    location = ("sqlite:" + os.path.join(folder, "invoices.sqlite")).encode("utf-8")
    try:
        status = lib.vitale_rights_service_new(text("rights.json"), ctypes.byref(rights))
        if status == OK:
            status = lib.vitale_invoice_numbers_open(location, ctypes.byref(numbers))
        if status == OK:
            status = lib.vitale_billing_new(terminal, rights, numbers, text("billing.json"),
                                            key, len(key), ctypes.byref(billing))
        billed = ctypes.c_void_p()
        if status == OK:
            status = lib.vitale_billing_bill(billing, card, text("visit.json"), ctypes.byref(billed))
        if status != OK:
            kind, message = vitale.last_error()
            print("billing: REJECTED %s (status %d): %s" % (kind, status, message))
            return False
        billed = vitale.take_json(billed)
        print("billing: invoice %d, total %d cents"
              % (billed["sheet"]["number"], billed["sheet"]["totals"]["fee"]))
        receipt = bytes.fromhex(billed["receipt"]["signed"])
        checked = ctypes.c_void_p()
        status = lib.vitale_receipt_verify(terminal, receipt, len(receipt), ctypes.byref(checked))
        if status != OK:
            kind, message = vitale.last_error()
            print("receipt: REJECTED %s (status %d): %s" % (kind, status, message))
            return False
        checked = vitale.take_json(checked)
        print("receipt: CHECKED invoice %d, paid at the desk %d cents"
              % (checked["invoice"], checked["totals"]["paid_at_desk"]))
        return True
    finally:
        lib.vitale_billing_free(billing)
        lib.vitale_invoice_numbers_free(numbers)
        lib.vitale_rights_service_free(rights)


def main():
    if len(sys.argv) != 3:
        print("usage: sample.py LIBRARY DIR", file=sys.stderr)
        return 2
    vitale = Vitale(sys.argv[1])
    folder = sys.argv[2]
    if vitale.lib.vitale_abi_version() != ABI_VERSION:
        print("library ABI %d, expected %d" % (vitale.lib.vitale_abi_version(), ABI_VERSION))
        return 2
    print("vitale %s, ABI %d" % (vitale.lib.vitale_version().decode(), vitale.lib.vitale_abi_version()))

    def read(name, mode="rb"):
        with open(os.path.join(folder, name), mode) as f:
            return f.read()

    status, terminal = vitale.terminal(read("trust-list.cbor"), read("root.spki.der"),
                                       read("options.json", "r").strip())
    if status != OK:
        print("terminal: REJECTED %s: %s" % vitale.last_error())
        return 1
    failures = 0
    qr_text = read("qr.txt", "r").strip().encode("utf-8")
    try:
        status, card = vitale.call_json("vitale_terminal_verify_text", terminal, qr_text)
        if status == OK:
            show_card("text", card)
        else:
            failures += 1
            kind, message = vitale.last_error()
            print("text: REJECTED %s (status %d): %s" % (kind, status, message))
        png = os.path.join(folder, "qr.png").encode("utf-8")
        handle, result = ctypes.c_void_p(), ctypes.c_void_p()
        status = vitale.lib.vitale_terminal_read_image_file(terminal, png, ctypes.byref(handle),
                                                            ctypes.byref(result))
        if status == OK:
            show_card("image", vitale.take_json(result))
            try:
                if not bill(vitale, folder, terminal, handle):
                    failures += 1
            finally:
                vitale.lib.vitale_card_free(handle)
        else:
            failures += 1
            kind, message = vitale.last_error()
            print("image: REJECTED %s (status %d): %s" % (kind, status, message))
        tampered = read("tampered.txt", "r").strip().encode("utf-8")
        status, card = vitale.call_json("vitale_terminal_verify_text", terminal, tampered)
        if status == OK:
            failures += 1
            print("tampered: ACCEPTED (unexpected)")
        else:
            kind, message = vitale.last_error()
            print("tampered: REJECTED %s (status %d): %s" % (kind, status, message))
        status, card = vitale.call_json("vitale_terminal_verify_text", terminal, qr_text)
        kind, message = vitale.last_error()
        print("replay: REJECTED %s (status %d): %s" % (kind, status, message))
        if kind != "replay":
            failures += 1
        status, card = vitale.call_json("vitale_terminal_verify_text", terminal, b"\xff\xfe")
        kind, _ = vitale.last_error()
        print("invalid utf-8: status %d (%s)" % (status, kind))
        if kind != "invalid_utf8":
            failures += 1
    finally:
        vitale.lib.vitale_terminal_free(terminal)
    print("sample: OK" if failures == 0 else "sample: FAILED")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
