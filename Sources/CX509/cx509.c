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

#include <openssl/pkcs12.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>

static int append_pem(BIO *bio, X509 *cert) {
    return cert && PEM_write_bio_X509(bio, cert) == 1;
}

int kafkaops_pkcs12_certificates_pem(const char *path, const char *password, char **out) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return 1;
    PKCS12 *p12 = d2i_PKCS12_fp(f, NULL);
    fclose(f);
    if (!p12) return 2;
    const char *pass = password ? password : "";
    if (PKCS12_mac_present(p12) && !PKCS12_verify_mac(p12, pass, -1)) {
        /* No password given: it may also be encoded as none at all (not the same as empty). */
        if (pass[0] != 0 || !PKCS12_verify_mac(p12, NULL, 0)) { PKCS12_free(p12); return 3; }
        pass = NULL;
    }
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    STACK_OF(X509) *ca = NULL;
    int ok = PKCS12_parse(p12, pass, &key, &cert, &ca);
    PKCS12_free(p12);
    if (!ok) return 3;
    EVP_PKEY_free(key);
    BIO *bio = BIO_new(BIO_s_mem());
    int count = 0, failed = bio == NULL;
    if (!failed && cert) { failed |= !append_pem(bio, cert); count++; }
    for (int i = 0; !failed && ca && i < sk_X509_num(ca); i++) { failed |= !append_pem(bio, sk_X509_value(ca, i)); count++; }
    X509_free(cert);
    sk_X509_pop_free(ca, X509_free);
    if (failed) { BIO_free(bio); return 5; }
    if (count == 0) { BIO_free(bio); return 4; }
    char *data = NULL;
    long len = BIO_get_mem_data(bio, &data);
    char *copy = malloc((size_t)len + 1);
    if (!copy) { BIO_free(bio); return 5; }
    memcpy(copy, data, (size_t)len);
    copy[len] = 0;
    BIO_free(bio);
    *out = copy;
    return 0;
}

void kafkaops_free(void *p) { free(p); }
