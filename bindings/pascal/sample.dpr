{ The vitale C ABI from Delphi-dialect Pascal: load a trust list, verify a
  QR text and a PNG, print the beneficiaries, bill one visit for the card
  read from the PNG and check its signed receipt, show the error kind of a
  tampered code and of a replayed one.

    fpc -Mdelphi sample.dpr && ./sample DIR      (Free Pascal)
    dcc32 sample.dpr && sample.exe DIR           (Delphi, vitale_ffi.dll beside it)

  DIR holds trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png,
  tampered.txt, and for billing rights.json, billing.json, professional.key
  and visit.json. Exit status 0 when every step went as expected. }
program sample;

{$IFDEF MSWINDOWS}{$APPTYPE CONSOLE}{$ENDIF}

uses
  SysUtils, Classes, Vitale;

var
  Failures: Integer = 0;

function ReadBytes(const Path: string): TBytes;
var
  Stream: TFileStream;
begin
  Result := nil;
  Stream := TFileStream.Create(Path, fmOpenRead or fmShareDenyWrite);
  try
    SetLength(Result, Stream.Size);
    if Stream.Size > 0 then
      Stream.ReadBuffer(Result[0], Stream.Size);
  finally
    Stream.Free;
  end;
end;

{ A text file as UTF-8, without surrounding white space. }
function ReadText(const Path: string): UTF8String;
var
  Bytes: TBytes;
begin
  Bytes := ReadBytes(Path);
  SetLength(Result, Length(Bytes));
  if Length(Bytes) > 0 then
    Move(Bytes[0], Result[1], Length(Bytes));
  Result := UTF8String(Trim(string(Result)));
end;

procedure ShowCard(const What: string; Json: PAnsiChar);
var
  I, N: Integer;
  B: UTF8String;
begin
  N := VitaleJsonCount(Json, '/card/beneficiaries');
  WriteLn(What, ': ACCEPTED, ', N, ' beneficiaries');
  for I := 0 to N - 1 do
  begin
    B := UTF8String('/card/beneficiaries/' + IntToStr(I));
    WriteLn('  rank ', VitaleJsonGet(Json, B + '/rank'), ': ',
      VitaleJsonGet(Json, B + '/birth_name'), ' ', VitaleJsonGet(Json, B + '/first_names'));
  end;
end;

{ Prints the card (and frees its JSON) or the refusal; True when accepted. }
function Report(const What: string; Status: Int32; Json: PAnsiChar): Boolean;
begin
  Result := Status = VitaleStatusOk;
  if Result then
  begin
    try
      ShowCard(What, Json);
    finally
      vitale_string_free(Json);
    end;
  end
  else
    WriteLn(What, ': REJECTED ', VitaleLastErrorKind, ' (status ', Status, '): ',
      VitaleLastErrorMessage);
end;

{ Hex (binary values in the ABI's JSON) to bytes; nil when it is not hex. }
function FromHex(const Hex: UTF8String): TBytes;
var
  I, Hi, Lo: Integer;

  function Digit(C: AnsiChar): Integer;
  begin
    case C of
      '0'..'9': Result := Ord(C) - Ord('0');
      'a'..'f': Result := Ord(C) - Ord('a') + 10;
      'A'..'F': Result := Ord(C) - Ord('A') + 10;
    else
      Result := -1;
    end;
  end;

begin
  Result := nil;
  if Odd(Length(Hex)) then
    Exit;
  SetLength(Result, Length(Hex) div 2);
  for I := 0 to Length(Result) - 1 do
  begin
    Hi := Digit(Hex[2 * I + 1]);
    Lo := Digit(Hex[2 * I + 2]);
    if (Hi < 0) or (Lo < 0) then
    begin
      Result := nil;
      Exit;
    end;
    Result[I] := Hi * 16 + Lo;
  end;
end;

{ Bills one visit for Card and checks the signed receipt; True when both
  went through. }
function Bill(const Dir: string; Terminal: PVitaleTerminal; Card: PVitaleCard): Boolean;
var
  Rights: PVitaleRightsService;
  Numbers: PVitaleInvoiceNumbers;
  Billing: PVitaleBilling;
  Billed, Checked: PAnsiChar;
  Key, Receipt: TBytes;
  RightsJson, BillingJson, VisitJson, Location: UTF8String;
  Status: Int32;
begin
  Result := False;
  Rights := nil;
  Numbers := nil;
  Billing := nil;
  Billed := nil;
  Checked := nil;
  Key := ReadBytes(Dir + 'professional.key');
  RightsJson := ReadText(Dir + 'rights.json');
  BillingJson := ReadText(Dir + 'billing.json');
  VisitJson := ReadText(Dir + 'visit.json');
  Location := UTF8String('sqlite:' + Dir + 'invoices.sqlite');
  try
    Status := vitale_rights_service_new(PAnsiChar(RightsJson), @Rights);
    if Status = VitaleStatusOk then
      Status := vitale_invoice_numbers_open(PAnsiChar(Location), @Numbers);
    if Status = VitaleStatusOk then
      Status := vitale_billing_new(Terminal, Rights, Numbers, PAnsiChar(BillingJson),
        @Key[0], Length(Key), @Billing);
    if Status = VitaleStatusOk then
      Status := vitale_billing_bill(Billing, Card, PAnsiChar(VisitJson), @Billed);
    if Status <> VitaleStatusOk then
    begin
      WriteLn('billing: REJECTED ', VitaleLastErrorKind, ' (status ', Status, '): ',
        VitaleLastErrorMessage);
      Exit;
    end;
    WriteLn('billing: invoice ', VitaleJsonGet(Billed, '/sheet/number'), ', total ',
      VitaleJsonGet(Billed, '/sheet/totals/fee'), ' cents');
    Receipt := FromHex(VitaleJsonGet(Billed, '/receipt/signed'));
    if Length(Receipt) = 0 then
    begin
      WriteLn('receipt: none');
      Exit;
    end;
    Status := vitale_receipt_verify(Terminal, @Receipt[0], Length(Receipt), @Checked);
    if Status <> VitaleStatusOk then
    begin
      WriteLn('receipt: REJECTED ', VitaleLastErrorKind, ' (status ', Status, ')');
      Exit;
    end;
    WriteLn('receipt: CHECKED invoice ', VitaleJsonGet(Checked, '/invoice'),
      ', paid at the desk ', VitaleJsonGet(Checked, '/totals/paid_at_desk'), ' cents');
    Result := True;
  finally
    FillChar(Key[0], Length(Key), 0);
    vitale_string_free(Checked);
    vitale_string_free(Billed);
    vitale_billing_free(Billing);
    vitale_invoice_numbers_free(Numbers);
    vitale_rights_service_free(Rights);
  end;
end;

var
  Dir: string;
  List, Root: TBytes;
  Options, QrText, Tampered, PngPath: UTF8String;
  Terminal: PVitaleTerminal;
  Card: PVitaleCard;
  Json: PAnsiChar;
  Status: Int32;
begin
  if ParamCount <> 1 then
  begin
    WriteLn(ErrOutput, 'usage: sample DIR');
    Halt(2);
  end;
  Dir := IncludeTrailingPathDelimiter(ParamStr(1));
  if vitale_abi_version <> VitaleAbiVersion then
  begin
    WriteLn(ErrOutput, 'library ABI ', vitale_abi_version, ', expected ', VitaleAbiVersion);
    Halt(2);
  end;
  WriteLn('vitale ', vitale_version, ', ABI ', vitale_abi_version);

  List := ReadBytes(Dir + 'trust-list.cbor');
  Root := ReadBytes(Dir + 'root.spki.der');
  Options := ReadText(Dir + 'options.json');
  QrText := ReadText(Dir + 'qr.txt');
  Tampered := ReadText(Dir + 'tampered.txt');
  PngPath := UTF8String(Dir + 'qr.png');

  Terminal := nil;
  Status := vitale_terminal_new(@List[0], Length(List), @Root[0], Length(Root),
    PAnsiChar(Options), @Terminal);
  if Status <> VitaleStatusOk then
  begin
    Report('terminal', Status, nil);
    Halt(1);
  end;
  try
    Json := nil;
    Status := vitale_terminal_verify_text(Terminal, PAnsiChar(QrText), nil, @Json);
    if not Report('text', Status, Json) then
      Inc(Failures);

    Card := nil;
    Status := vitale_terminal_read_image_file(Terminal, PAnsiChar(PngPath), @Card, @Json);
    if not Report('image', Status, Json) then
      Inc(Failures);
    try
      if (Card <> nil) and not Bill(Dir, Terminal, Card) then
        Inc(Failures);
    finally
      vitale_card_free(Card);
    end;

    Status := vitale_terminal_verify_text(Terminal, PAnsiChar(Tampered), nil, @Json);
    if Report('tampered', Status, Json) then
      Inc(Failures);

    Status := vitale_terminal_verify_text(Terminal, PAnsiChar(QrText), nil, @Json);
    if Report('replay', Status, Json) or (Status <> VitaleStatusReplay) then
      Inc(Failures);

    Status := vitale_terminal_verify_text(Terminal, nil, nil, @Json);
    WriteLn('null text: status ', Status);
    if Status <> VitaleStatusNullArgument then
      Inc(Failures);
  finally
    vitale_terminal_free(Terminal);
  end;
  if Failures = 0 then
    WriteLn('sample: OK')
  else
    WriteLn('sample: FAILED');
  if Failures <> 0 then
    Halt(1);
end.
