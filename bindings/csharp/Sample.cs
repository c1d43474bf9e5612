// The vitale C ABI from C# (P/Invoke): load a trust list, verify a QR text
// and a PNG, print the beneficiaries, show the error kind of a tampered
// code and of a replayed one.
//
//   mcs -out:sample.exe Vitale.cs Sample.cs && mono sample.exe DIR
//
// DIR holds trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png and
// tampered.txt. Exit status 0 when every step went as expected.
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

            status = Native.vitale_terminal_read_image(terminal, png, (UIntPtr)png.Length, IntPtr.Zero, out json);
            if (!Read("image", status, json)) failures++;

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
