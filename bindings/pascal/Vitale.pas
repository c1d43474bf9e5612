{ The vitale C ABI (include/vitale.h) for Delphi and Free Pascal
  (fpc -Mdelphi): external declarations and a few helpers. The library is
  vitale_ffi.dll on Windows, libvitale_ffi.so elsewhere. Strings cross the
  boundary as NUL-terminated UTF-8 (UTF8String, PAnsiChar). }
unit Vitale;

interface

const
{$IFDEF MSWINDOWS}
  VitaleLib = 'vitale_ffi.dll';
{$ELSE}
  VitaleLib = 'vitale_ffi';
{$ENDIF}

  { Status codes: the numbers of include/vitale.h (VITALE_STATUS_*);
    Pascal names are case-insensitive, so the C names would clash with
    the functions. }
  VitaleAbiVersion = 1;
  VitaleStatusOk = 0;
  VitaleStatusNullArgument = 2;
  VitaleStatusBufferTooSmall = 4;
  VitaleStatusReplay = 131;

type
  { size_t }
  TVitaleSize = NativeUInt;
  PVitaleSize = ^TVitaleSize;
  { Opaque handles. }
  PVitaleTerminal = Pointer;
  PVitaleCard = Pointer;
  PVitaleRightsService = Pointer;
  PVitaleInvoiceNumbers = Pointer;
  PVitaleBilling = Pointer;
  PVitaleTrustRefresher = Pointer;
  PPVitaleRightsService = ^PVitaleRightsService;
  PPVitaleInvoiceNumbers = ^PVitaleInvoiceNumbers;
  PPVitaleBilling = ^PVitaleBilling;
  PPVitaleTrustRefresher = ^PVitaleTrustRefresher;
  PPVitaleTerminal = ^PVitaleTerminal;
  PPVitaleCard = ^PVitaleCard;
  PPAnsiChar = ^PAnsiChar;

function vitale_abi_version: Cardinal; cdecl; external VitaleLib;
function vitale_version: PAnsiChar; cdecl; external VitaleLib;
function vitale_terminal_new(TrustList: Pointer; TrustListLen: TVitaleSize;
  RootSpki: Pointer; RootSpkiLen: TVitaleSize; OptionsJson: PAnsiChar;
  Terminal: PPVitaleTerminal): Int32; cdecl; external VitaleLib;
procedure vitale_terminal_free(Terminal: PVitaleTerminal); cdecl; external VitaleLib;
function vitale_terminal_verify_text(Terminal: PVitaleTerminal; Text: PAnsiChar;
  Card: PPVitaleCard; Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
function vitale_terminal_read_image_file(Terminal: PVitaleTerminal; Path: PAnsiChar;
  Card: PPVitaleCard; Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
procedure vitale_string_free(Text: PAnsiChar); cdecl; external VitaleLib;
function vitale_last_error_kind(Buf: PAnsiChar; Len: TVitaleSize;
  Needed: PVitaleSize): Int32; cdecl; external VitaleLib;
function vitale_last_error_message(Buf: PAnsiChar; Len: TVitaleSize;
  Needed: PVitaleSize): Int32; cdecl; external VitaleLib;
function vitale_json_get(Json: PAnsiChar; Pointer_: PAnsiChar; Buf: PAnsiChar;
  Len: TVitaleSize; Needed: PVitaleSize): Int32; cdecl; external VitaleLib;
function vitale_json_count(Json: PAnsiChar; Pointer_: PAnsiChar;
  Count: PVitaleSize): Int32; cdecl; external VitaleLib;
procedure vitale_card_free(Card: PVitaleCard); cdecl; external VitaleLib;

{ Billing (docs/ffi.md): a rights service, an invoice-number store, the
  billing set-up, one visit billed; the signed sheet and receipt checked. }
function vitale_rights_service_new(ConfigJson: PAnsiChar;
  Service: PPVitaleRightsService): Int32; cdecl; external VitaleLib;
procedure vitale_rights_service_free(Service: PVitaleRightsService); cdecl; external VitaleLib;
function vitale_invoice_numbers_open(Location: PAnsiChar;
  Numbers: PPVitaleInvoiceNumbers): Int32; cdecl; external VitaleLib;
function vitale_invoice_numbers_last(Numbers: PVitaleInvoiceNumbers;
  BillingNumber: PAnsiChar; Last: PCardinal): Int32; cdecl; external VitaleLib;
procedure vitale_invoice_numbers_free(Numbers: PVitaleInvoiceNumbers); cdecl; external VitaleLib;
function vitale_billing_new(Terminal: PVitaleTerminal; Rights: PVitaleRightsService;
  Numbers: PVitaleInvoiceNumbers; ConfigJson: PAnsiChar; SheetKey: Pointer;
  SheetKeyLen: TVitaleSize; Billing: PPVitaleBilling): Int32; cdecl; external VitaleLib;
procedure vitale_billing_free(Billing: PVitaleBilling); cdecl; external VitaleLib;
function vitale_billing_bill(Billing: PVitaleBilling; Card: PVitaleCard;
  VisitJson: PAnsiChar; Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
function vitale_sheet_verify(SignedSheet: Pointer; SignedSheetLen: TVitaleSize;
  PublicKeySpki: Pointer; PublicKeySpkiLen: TVitaleSize;
  Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
function vitale_receipt_verify(Terminal: PVitaleTerminal; Receipt: Pointer;
  ReceiptLen: TVitaleSize; Json: PPAnsiChar): Int32; cdecl; external VitaleLib;

{ The trust list kept fresh from a trust-list server. }
function vitale_trust_refresher_new(Terminal: PVitaleTerminal; ConfigJson: PAnsiChar;
  Refresher: PPVitaleTrustRefresher): Int32; cdecl; external VitaleLib;
function vitale_trust_refresher_refresh(Refresher: PVitaleTrustRefresher;
  Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
function vitale_trust_refresher_status(Refresher: PVitaleTrustRefresher;
  Json: PPAnsiChar): Int32; cdecl; external VitaleLib;
procedure vitale_trust_refresher_free(Refresher: PVitaleTrustRefresher); cdecl; external VitaleLib;

{ This thread's last failure. }
function VitaleLastErrorKind: UTF8String;
function VitaleLastErrorMessage: UTF8String;
{ The value at a JSON pointer ('/card/beneficiaries/0/birth_name'). }
function VitaleJsonGet(Json: PAnsiChar; const Ptr: UTF8String): UTF8String;
function VitaleJsonCount(Json: PAnsiChar; const Ptr: UTF8String): Integer;

implementation

uses
  Math;

type
  TBufferCall = function(Buf: PAnsiChar; Len: TVitaleSize; Needed: PVitaleSize): Int32; cdecl;

{ Fills a caller-owned buffer, asking the size first. }
function FillBuffer(Call: TBufferCall): UTF8String;
var
  Needed: TVitaleSize;
begin
  Needed := 0;
  Call(nil, 0, @Needed);
  SetLength(Result, Needed);
  if (Needed = 0) or (Call(PAnsiChar(Result), Needed, @Needed) <> VitaleStatusOk) then
    Result := ''
  else
    SetLength(Result, Needed - 1);
end;

function VitaleLastErrorKind: UTF8String;
begin
  Result := FillBuffer(@vitale_last_error_kind);
end;

function VitaleLastErrorMessage: UTF8String;
begin
  Result := FillBuffer(@vitale_last_error_message);
end;

function VitaleJsonGet(Json: PAnsiChar; const Ptr: UTF8String): UTF8String;
var
  Needed: TVitaleSize;
begin
  Needed := 0;
  vitale_json_get(Json, PAnsiChar(Ptr), nil, 0, @Needed);
  SetLength(Result, Needed);
  if (Needed = 0) or
     (vitale_json_get(Json, PAnsiChar(Ptr), PAnsiChar(Result), Needed, @Needed) <> VitaleStatusOk) then
    Result := '?'
  else
    SetLength(Result, Needed - 1);
end;

function VitaleJsonCount(Json: PAnsiChar; const Ptr: UTF8String): Integer;
var
  Count: TVitaleSize;
begin
  Count := 0;
  if vitale_json_count(Json, PAnsiChar(Ptr), @Count) <> VitaleStatusOk then
    Result := 0
  else
    Result := Integer(Count);
end;

initialization
  { Delphi and Free Pascal unmask the FPU's invalid-operation, zero-divide
    and overflow exceptions; the library (as most C libraries) computes
    with them masked, as the platform ABIs default. Unmasked, a NaN inside
    the QR decoder raises EInvalidOp in the caller. This unit masks them for
    the whole program (the usual Delphi practice when calling C DLLs). }
  SetExceptionMask([exInvalidOp, exDenormalized, exZeroDivide, exOverflow,
    exUnderflow, exPrecision]);
end.
