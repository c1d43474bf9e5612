// P/Invoke declarations of the vitale C ABI (include/vitale.h) and a few
// helpers. The same source compiles with Mono's mcs on Linux and with the
// .NET SDK or Visual Studio on Windows, where the library is vitale_ffi.dll.
//
// Strings cross the boundary as UTF-8 bytes, marshalled by hand: the
// default string marshalling of .NET Framework on Windows is the ANSI code
// page, not UTF-8.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace VitaleSdk
{
    public static class Native
    {
        // libvitale_ffi.so on Linux, vitale_ffi.dll on Windows.
        const string Lib = "vitale_ffi";

        public const int Ok = 0;
        public const int BufferTooSmall = 4;
        public const uint AbiVersion = 1;

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern uint vitale_abi_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern IntPtr vitale_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_terminal_new(byte[] trustList, UIntPtr trustListLen,
            byte[] rootSpki, UIntPtr rootSpkiLen, byte[] optionsJson, out IntPtr terminal);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_terminal_free(IntPtr terminal);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_terminal_verify_text(IntPtr terminal, byte[] text,
            IntPtr card, out IntPtr json);

        // `card` receives a card handle (free with vitale_card_free) for
        // billing; `json` the card as JSON.
        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_terminal_read_image(IntPtr terminal, byte[] image,
            UIntPtr imageLen, out IntPtr card, out IntPtr json);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_card_free(IntPtr card);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_rights_service_new(byte[] configJson, out IntPtr service);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_rights_service_free(IntPtr service);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_invoice_numbers_open(byte[] location, out IntPtr numbers);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_invoice_numbers_free(IntPtr numbers);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_billing_new(IntPtr terminal, IntPtr rights, IntPtr numbers,
            byte[] configJson, byte[] sheetKey, UIntPtr sheetKeyLen, out IntPtr billing);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_billing_free(IntPtr billing);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_billing_bill(IntPtr billing, IntPtr card, byte[] visitJson,
            out IntPtr json);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_receipt_verify(IntPtr terminal, byte[] receipt,
            UIntPtr receiptLen, out IntPtr json);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_terminal_read_image_file(IntPtr terminal, byte[] path,
            IntPtr card, out IntPtr json);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern void vitale_string_free(IntPtr text);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_last_error_kind(byte[] buf, UIntPtr len, out UIntPtr needed);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_last_error_message(byte[] buf, UIntPtr len, out UIntPtr needed);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_json_get(IntPtr json, byte[] pointer, byte[] buf,
            UIntPtr len, out UIntPtr needed);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        public static extern int vitale_json_count(IntPtr json, byte[] pointer, out UIntPtr count);

        /// Hex (as the ABI gives binary values in JSON) to bytes;
        /// Convert.FromHexString exists from .NET 5 only.
        public static byte[] FromHex(string hex)
        {
            if (hex == null || hex.Length % 2 != 0) throw new FormatException("not hex");
            byte[] bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
            return bytes;
        }

        /// A .NET string as NUL-terminated UTF-8.
        public static byte[] Utf8(string text)
        {
            return Encoding.UTF8.GetBytes(text + "\0");
        }

        /// A NUL-terminated UTF-8 string the library owns or lends.
        public static string FromUtf8(IntPtr text)
        {
            if (text == IntPtr.Zero) return null;
            int n = 0;
            while (Marshal.ReadByte(text, n) != 0) n++;
            byte[] bytes = new byte[n];
            Marshal.Copy(text, bytes, 0, n);
            return Encoding.UTF8.GetString(bytes);
        }

        public delegate int BufferCall(byte[] buf, UIntPtr len, out UIntPtr needed);

        /// Fills a caller-owned buffer, asking the size first.
        public static string Buffer(BufferCall call)
        {
            UIntPtr needed;
            call(null, UIntPtr.Zero, out needed);
            byte[] buf = new byte[(int)needed.ToUInt32()];
            if (call(buf, (UIntPtr)buf.Length, out needed) != Ok) return "?";
            return Encoding.UTF8.GetString(buf, 0, buf.Length - 1);
        }

        public static string LastErrorKind()
        {
            return Buffer(vitale_last_error_kind);
        }

        public static string LastErrorMessage()
        {
            return Buffer(vitale_last_error_message);
        }

        /// The value at a JSON pointer of a library-owned JSON string.
        public static string JsonGet(IntPtr json, string pointer)
        {
            byte[] p = Utf8(pointer);
            return Buffer((byte[] buf, UIntPtr len, out UIntPtr needed) =>
                vitale_json_get(json, p, buf, len, out needed));
        }

        public static int JsonCount(IntPtr json, string pointer)
        {
            UIntPtr count;
            if (vitale_json_count(json, Utf8(pointer), out count) != Ok) return 0;
            return (int)count.ToUInt32();
        }
    }
}
