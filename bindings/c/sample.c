/*
 * The vitale C ABI from C: load a trust list, verify a QR text and a PNG,
 * print the beneficiaries, show the error kind of a tampered code and of a
 * replayed one; bill one visit for the card read from the PNG (rights of
 * the day from the rights service, care sheet signed with the
 * professional's key, invoice number from a SQLite store) and check the
 * signed receipt against the trust list.
 *
 *   cc -o sample sample.c -I../../crates/vitale-ffi/include -L<dir of libvitale_ffi> -lvitale_ffi
 *   ./sample DIR
 *
 * DIR holds trust-list.cbor, root.spki.der, options.json, qr.txt, qr.png,
 * tampered.txt, and for billing rights.json (the rights service), billing.json
 * (the practice, the receipt key file), professional.key and visit.json
 * (crates/vitale-ffi/tests/samples.rs makes them with the simulator, whose
 * HTTPS services it runs). Exit status 0 when every step went as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vitale.h"

/* A whole file, NUL-terminated (so that texts can be used as strings). */
static unsigned char *read_file(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    size_t cap = 4096, used = 0, n;
    unsigned char *data = malloc(cap);
    while (data != NULL && (n = fread(data + used, 1, cap - used - 1, f)) > 0) {
        used += n;
        if (used + 1 == cap) {
            unsigned char *bigger = realloc(data, cap * 2);
            if (bigger == NULL) {
                free(data);
            }
            data = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (data == NULL) {
        return NULL;
    }
    data[used] = 0;
    *len = used;
    return data;
}

/* A text file without its line ending. */
static char *read_text(const char *dir, const char *name) {
    size_t len = 0;
    char *text = (char *)read_file(dir, name, &len);
    while (text != NULL && len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r')) {
        text[--len] = 0;
    }
    return text;
}

/* A malloc'd copy (strdup is POSIX, not C11). */
static char *copy_text(const char *text) {
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy != NULL) {
        memcpy(copy, text, n);
    }
    return copy;
}

/* The value at a JSON pointer, in a malloc'd buffer: asks the size first
 * when the small buffer is too small (the caller-owned buffer pattern). */
static char *json_get(const char *json, const char *pointer) {
    char small[16];
    size_t needed = 0;
    VitaleStatus status = vitale_json_get(json, pointer, small, sizeof small, &needed);
    if (status == VITALE_STATUS_OK) {
        return copy_text(small);
    }
    if (status != VITALE_STATUS_BUFFER_TOO_SMALL) {
        return copy_text("?");
    }
    char *buf = malloc(needed);
    if (buf != NULL && vitale_json_get(json, pointer, buf, needed, &needed) != VITALE_STATUS_OK) {
        free(buf);
        return copy_text("?");
    }
    return buf;
}

static void print_card(const char *what, const char *json) {
    size_t count = 0;
    vitale_json_count(json, "/card/beneficiaries", &count);
    printf("%s: ACCEPTED, %zu beneficiaries\n", what, count);
    for (size_t i = 0; i < count; i++) {
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/card/beneficiaries/%zu/rank", i);
        char *rank = json_get(json, pointer);
        snprintf(pointer, sizeof pointer, "/card/beneficiaries/%zu/birth_name", i);
        char *birth_name = json_get(json, pointer);
        snprintf(pointer, sizeof pointer, "/card/beneficiaries/%zu/first_names", i);
        char *first_names = json_get(json, pointer);
        printf("  rank %s: %s %s\n", rank, birth_name, first_names);
        free(rank);
        free(birth_name);
        free(first_names);
    }
}

/* The kind and message of this thread's last failure. */
static void print_refusal(const char *what, VitaleStatus status) {
    char kind[64];
    char message[256];
    size_t needed = 0;
    vitale_last_error_kind(kind, sizeof kind, &needed);
    /* A long message is cut to the buffer (status BUFFER_TOO_SMALL). */
    vitale_last_error_message(message, sizeof message, &needed);
    printf("%s: REJECTED %s (status %d): %s\n", what, kind, (int)status, message);
}

/* Lower-case or upper-case hex to bytes (the ABI gives binary values in
 * JSON as hex); NULL when it is not hex. */
static unsigned char *unhex(const char *hex, size_t *len) {
    size_t n = strlen(hex);
    if (n % 2 != 0) {
        return NULL;
    }
    unsigned char *bytes = malloc(n / 2 + 1);
    for (size_t i = 0; bytes != NULL && i < n / 2; i++) {
        unsigned int byte = 0;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            free(bytes);
            return NULL;
        }
        bytes[i] = (unsigned char)byte;
    }
    *len = n / 2;
    return bytes;
}

/* Bills one visit for `card` and checks the signed receipt; returns the
 * number of failures. */
static int bill(const char *dir, VitaleTerminal *terminal, const VitaleCard *card) {
    size_t key_len = 0;
    char *rights_json = read_text(dir, "rights.json");
    char *billing_json = read_text(dir, "billing.json");
    char *visit_json = read_text(dir, "visit.json");
    unsigned char *key = read_file(dir, "professional.key", &key_len);
    char location[4200];
    snprintf(location, sizeof location, "sqlite:%s/invoices.sqlite", dir);
    int failures = 0;
    VitaleRightsService *rights = NULL;
    VitaleInvoiceNumbers *numbers = NULL;
    VitaleBilling *billing = NULL;
    char *billed = NULL;
    char *checked = NULL;
    VitaleStatus status = VITALE_STATUS_NULL_ARGUMENT;
    if (rights_json && billing_json && visit_json && key) {
        status = vitale_rights_service_new(rights_json, &rights);
    }
    if (status == VITALE_STATUS_OK) {
        status = vitale_invoice_numbers_open(location, &numbers);
    }
    if (status == VITALE_STATUS_OK) {
        /* The key file's text (64 hex digits) passed as bytes: the library
         * keeps its own copy, wiped when the billing handle is freed. */
        status = vitale_billing_new(terminal, rights, numbers, billing_json, key, key_len, &billing);
        memset(key, 0, key_len);
    }
    if (status == VITALE_STATUS_OK) {
        status = vitale_billing_bill(billing, card, visit_json, &billed);
    }
    if (status == VITALE_STATUS_OK) {
        char *number = json_get(billed, "/sheet/number");
        char *fee = json_get(billed, "/sheet/totals/fee");
        printf("billing: invoice %s, total %s cents\n", number, fee);
        free(number);
        free(fee);
        char *signed_hex = json_get(billed, "/receipt/signed");
        size_t receipt_len = 0;
        unsigned char *receipt = unhex(signed_hex, &receipt_len);
        free(signed_hex);
        status = receipt == NULL ? VITALE_STATUS_INVALID_ARGUMENT
                                 : vitale_receipt_verify(terminal, receipt, receipt_len, &checked);
        free(receipt);
        if (status == VITALE_STATUS_OK) {
            char *invoice = json_get(checked, "/invoice");
            char *desk = json_get(checked, "/totals/paid_at_desk");
            printf("receipt: CHECKED invoice %s, paid at the desk %s cents\n", invoice, desk);
            free(invoice);
            free(desk);
        } else {
            print_refusal("receipt", status);
            failures++;
        }
    } else {
        print_refusal("billing", status);
        failures++;
    }
    vitale_string_free(checked);
    vitale_string_free(billed);
    vitale_billing_free(billing);
    vitale_invoice_numbers_free(numbers);
    vitale_rights_service_free(rights);
    free(rights_json);
    free(billing_json);
    free(visit_json);
    free(key);
    return failures;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    if (vitale_abi_version() != VITALE_ABI_VERSION) {
        fprintf(stderr, "library ABI %u, header ABI %u\n", vitale_abi_version(), VITALE_ABI_VERSION);
        return 2;
    }
    printf("vitale %s, ABI %u\n", vitale_version(), vitale_abi_version());

    size_t list_len = 0, root_len = 0, png_len = 0;
    unsigned char *list = read_file(dir, "trust-list.cbor", &list_len);
    unsigned char *root = read_file(dir, "root.spki.der", &root_len);
    unsigned char *png = read_file(dir, "qr.png", &png_len);
    char *options = read_text(dir, "options.json");
    char *qr_text = read_text(dir, "qr.txt");
    char *tampered = read_text(dir, "tampered.txt");
    if (!list || !root || !png || !options || !qr_text || !tampered) {
        return 2;
    }
    int failures = 0;

    VitaleTerminal *terminal = NULL;
    VitaleStatus status = vitale_terminal_new(list, list_len, root, root_len, options, &terminal);
    if (status != VITALE_STATUS_OK) {
        print_refusal("terminal", status);
        return 1;
    }
    char *info = NULL;
    if (vitale_terminal_trust_list_info(terminal, &info) == VITALE_STATUS_OK) {
        char *sequence = json_get(info, "/sequence");
        printf("terminal: trust list #%s\n", sequence);
        free(sequence);
        vitale_string_free(info);
    }

    /* 1. A QR text (a scanner, a camera decoded elsewhere). */
    char *json = NULL;
    status = vitale_terminal_verify_text(terminal, qr_text, NULL, &json);
    if (status == VITALE_STATUS_OK) {
        print_card("text", json);
    } else {
        print_refusal("text", status);
        failures++;
    }
    vitale_string_free(json);

    /* 2. A PNG file (another presentation), read as bytes and as a card
     *    handle this time. */
    VitaleCard *card = NULL;
    status = vitale_terminal_read_image(terminal, png, png_len, &card, NULL);
    if (status == VITALE_STATUS_OK) {
        char *card_json = NULL;
        if (vitale_card_json(card, NULL, &card_json) == VITALE_STATUS_OK) {
            /* vitale_card_json gives the card itself: wrap it as the
             * reading functions do, for print_card. */
            size_t n = strlen(card_json) + 16;
            char *wrapped = malloc(n);
            if (wrapped != NULL) {
                snprintf(wrapped, n, "{\"card\":%s}", card_json);
                print_card("image", wrapped);
                free(wrapped);
            }
            vitale_string_free(card_json);
        }
    } else {
        print_refusal("image", status);
        failures++;
    }

    /* 3. Billing: one visit for the card just read. */
    if (card != NULL) {
        failures += bill(dir, terminal, card);
    }
    vitale_card_free(card);

    /* 4. A tampered code: refused, with its kind. */
    status = vitale_terminal_verify_text(terminal, tampered, NULL, &json);
    if (status == VITALE_STATUS_OK) {
        printf("tampered: ACCEPTED (unexpected)\n");
        vitale_string_free(json);
        failures++;
    } else {
        print_refusal("tampered", status);
    }

    /* 5. The first text again: a replay (screenshot). */
    status = vitale_terminal_verify_text(terminal, qr_text, NULL, &json);
    if (status == VITALE_STATUS_REPLAY) {
        print_refusal("replay", status);
    } else {
        printf("replay: status %d (unexpected)\n", (int)status);
        vitale_string_free(json);
        failures++;
    }

    /* 6. A null argument is a status, not a crash. */
    status = vitale_terminal_verify_text(terminal, NULL, NULL, &json);
    printf("null text: status %d (%s)\n", (int)status,
           status == VITALE_STATUS_NULL_ARGUMENT ? "null_argument" : "unexpected");
    if (status != VITALE_STATUS_NULL_ARGUMENT) {
        failures++;
    }

    vitale_terminal_free(terminal);
    free(list);
    free(root);
    free(png);
    free(options);
    free(qr_text);
    free(tampered);
    printf("%s\n", failures == 0 ? "sample: OK" : "sample: FAILED");
    return failures == 0 ? 0 : 1;
}
