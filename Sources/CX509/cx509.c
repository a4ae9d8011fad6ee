#include "cx509.h"
#include <string.h>
#include <time.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/bio.h>

static void name_text(X509_NAME *name, char *out, size_t cap) {
    out[0] = 0;
    if (!name || cap == 0) return;
    BIO *b = BIO_new(BIO_s_mem());
    if (!b) return;
    X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    int n = BIO_read(b, out, (int)cap - 1);
    out[n > 0 ? n : 0] = 0;
    BIO_free(b);
}

static int64_t epoch(const ASN1_TIME *t) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return (int64_t)timegm(&tm);
}

static void alt_names(X509 *cert, char *out, size_t cap) {
    out[0] = 0;
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    if (!names) return;
    size_t used = 0;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
        char item[300];
        item[0] = 0;
        if (g->type == GEN_DNS) {
            const unsigned char *s = ASN1_STRING_get0_data(g->d.dNSName);
            snprintf(item, sizeof item, "DNS:%.*s", ASN1_STRING_length(g->d.dNSName), (const char *)s);
        } else if (g->type == GEN_IPADD) {
            const unsigned char *ip = ASN1_STRING_get0_data(g->d.iPAddress);
            if (ASN1_STRING_length(g->d.iPAddress) == 4)
                snprintf(item, sizeof item, "IP:%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
            else
                snprintf(item, sizeof item, "IP:(IPv6)");
        } else {
            continue;
        }
        size_t len = strlen(item);
        if (used + len + 3 >= cap) break;
        if (used) { memcpy(out + used, ", ", 2); used += 2; }
        memcpy(out + used, item, len);
        used += len;
        out[used] = 0;
    }
    GENERAL_NAMES_free(names);
}

int kafkaops_cert_facts_from_der(const unsigned char *der, size_t len, kafkaops_cert_facts *out) {
    memset(out, 0, sizeof *out);
    const unsigned char *p = der;
    X509 *cert = d2i_X509(NULL, &p, (long)len);
    if (!cert) return 0;
    name_text(X509_get_subject_name(cert), out->subject, sizeof out->subject);
    name_text(X509_get_issuer_name(cert), out->issuer, sizeof out->issuer);
    alt_names(cert, out->alt_names, sizeof out->alt_names);
    out->not_before = epoch(X509_get0_notBefore(cert));
    out->not_after = epoch(X509_get0_notAfter(cert));
    X509_free(cert);
    return 1;
}

const char *kafkaops_x509_error_text(int code) {
    return X509_verify_cert_error_string(code);
}
