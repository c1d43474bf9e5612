// The vitale C ABI from C# (P/Invoke): load a trust list, verify a QR text
// and a PNG, print the beneficiaries, show the error kind of a tampered
// code and of a replayed one; bill one visit for the card read from the
// PNG and check the signed receipt against the trust list.
//
//   mcs -out:sample.exe Vitale.cs Sample.cs && mono sample.exe DIR
//
// DIR holds trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png,
// tampered.txt, and for billing rights.json, billing.json, professional.key
// and visit.json. Exit status 0 when every step went as expected.
using System;
using System.IO;
using VitaleSdk;

static class Sample
{
    static int failures = 0;

    static void ShowCard(string what, IntPtr json)
    {
        int n = Native.JsonCount(json, "/card/beneficiaries");
        Console.WriteLine("{0}: ACCEPTED, {1} beneficiaries", what, n);
        for (int i = 0; i < n; i++)
        {
            string b = "/card/beneficiaries/" + i;
            Console.WriteLine("  rank {0}: {1} {2}", Native.JsonGet(json, b + "/rank"),
                Native.JsonGet(json, b + "/birth_name"), Native.JsonGet(json, b + "/first_names"));
        }
    }

    static void Refused(string what, int status)
    {
        Console.WriteLine("{0}: REJECTED {1} (status {2}): {3}", what, Native.LastErrorKind(),
            status, Native.LastErrorMessage());
    }

    /// Calls a reading function; prints the card or the refusal.
    static bool Read(string what, int status, IntPtr json)
    {
        if (status != Native.Ok)
        {
            Refused(what, status);
            return false;
        }
        try
        {
            ShowCard(what, json);
        }
        finally
        {
            Native.vitale_string_free(json);
        }
        return true;
    }

    /// Bills one visit for `card` and checks the signed receipt.
    static bool Bill(string dir, IntPtr terminal, IntPtr card)
    {
        IntPtr rights = IntPtr.Zero, numbers = IntPtr.Zero, billing = IntPtr.Zero;
        IntPtr billed = IntPtr.Zero, checkedJson = IntPtr.Zero;
        byte[] key = File.ReadAllBytes(Path.Combine(dir, "professional.key"));
        try
        {
            int status = Native.vitale_rights_service_new(
                Native.Utf8(File.ReadAllText(Path.Combine(dir, "rights.json"))), out rights);
            if (status == Native.Ok)
                status = Native.vitale_invoice_numbers_open(
                    Native.Utf8("sqlite:" + Path.Combine(dir, "invoices.sqlite")), out numbers);
            if (status == Native.Ok)
                status = Native.vitale_billing_new(terminal, rights, numbers,
                    Native.Utf8(File.ReadAllText(Path.Combine(dir, "billing.json"))),
                    key, (UIntPtr)key.Length, out billing);
            if (status == Native.Ok)
                status = Native.vitale_billing_bill(billing, card,
                    Native.Utf8(File.ReadAllText(Path.Combine(dir, "visit.json"))), out billed);
            if (status != Native.Ok)
            {
                Refused("billing", status);
                return false;
            }
            Console.WriteLine("billing: invoice {0}, total {1} cents",
                Native.JsonGet(billed, "/sheet/number"), Native.JsonGet(billed, "/sheet/totals/fee"));
            byte[] receipt = Native.FromHex(Native.JsonGet(billed, "/receipt/signed"));
            status = Native.vitale_receipt_verify(terminal, receipt, (UIntPtr)receipt.Length, out checkedJson);
            if (status != Native.Ok)
            {
                Refused("receipt", status);
                return false;
            }
            Console.WriteLine("receipt: CHECKED invoice {0}, paid at the desk {1} cents",
                Native.JsonGet(checkedJson, "/invoice"), Native.JsonGet(checkedJson, "/totals/paid_at_desk"));
            return true;
        }
        finally
        {
            Array.Clear(key, 0, key.Length);
            Native.vitale_string_free(checkedJson);
            Native.vitale_string_free(billed);
            Native.vitale_billing_free(billing);
            Native.vitale_invoice_numbers_free(numbers);
            Native.vitale_rights_service_free(rights);
        }
    }

    static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: sample.exe DIR");
            return 2;
        }
        string dir = args[0];
        if (Native.vitale_abi_version() != Native.AbiVersion)
        {
            Console.Error.WriteLine("library ABI {0}, expected {1}", Native.vitale_abi_version(), Native.AbiVersion);
            return 2;
        }
        Console.WriteLine("vitale {0}, ABI {1}", Native.FromUtf8(Native.vitale_version()), Native.vitale_abi_version());

        byte[] list = File.ReadAllBytes(Path.Combine(dir, "trust-list.cbor"));
        byte[] root = File.ReadAllBytes(Path.Combine(dir, "root.spki.der"));
        string options = File.ReadAllText(Path.Combine(dir, "options.json")).Trim();
        string qrText = File.ReadAllText(Path.Combine(dir, "qr.txt")).Trim();
        string tampered = File.ReadAllText(Path.Combine(dir, "tampered.txt")).Trim();
        byte[] png = File.ReadAllBytes(Path.Combine(dir, "qr.png"));

        IntPtr terminal;
        int status = Native.vitale_terminal_new(list, (UIntPtr)list.Length, root, (UIntPtr)root.Length,
            Native.Utf8(options), out terminal);
        if (status != Native.Ok)
        {
            Refused("terminal", status);
            return 1;
        }
        try
        {
            IntPtr json;
            status = Native.vitale_terminal_verify_text(terminal, Native.Utf8(qrText), IntPtr.Zero, out json);
            if (!Read("text", status, json)) failures++;

            IntPtr card;
            status = Native.vitale_terminal_read_image(terminal, png, (UIntPtr)png.Length, out card, out json);
            if (!Read("image", status, json)) failures++;
            try
            {
                if (card != IntPtr.Zero && !Bill(dir, terminal, card)) failures++;
            }
            finally
            {
                Native.vitale_card_free(card);
            }

            status = Native.vitale_terminal_verify_text(terminal, Native.Utf8(tampered), IntPtr.Zero, out json);
            if (Read("tampered", status, json)) failures++;

            status = Native.vitale_terminal_verify_text(terminal, Native.Utf8(qrText), IntPtr.Zero, out json);
            if (Read("replay", status, json) || Native.LastErrorKind() != "replay") failures++;
        }
        finally
        {
            Native.vitale_terminal_free(terminal);
        }
        Console.WriteLine(failures == 0 ? "sample: OK" : "sample: FAILED");
        return failures == 0 ? 0 : 1;
    }
}
