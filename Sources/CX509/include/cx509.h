#ifndef KAFKAOPS_CX509_H
#define KAFKAOPS_CX509_H
#include <stddef.h>
#include <stdint.h>

/* The facts an operator needs about a broker certificate, read with OpenSSL from the DER bytes
   librdkafka hands to its certificate verification callback. Strings are NUL-terminated and
   cut to their buffer. */
typedef struct {
    char subject[512];
    char issuer[512];
    /* Subject alternative names: "DNS:a, IP:127.0.0.1". */
    char alt_names[512];
    int64_t not_before; /* seconds since the epoch, UTC */
    int64_t not_after;
} kafkaops_cert_facts;

/* 1 when `der` parsed as an X.509 certificate (out filled), 0 otherwise. */
int kafkaops_cert_facts_from_der(const unsigned char *der, size_t len, kafkaops_cert_facts *out);

/* OpenSSL's text for an X509_V_ERR_* code ("certificate has expired"). */
const char *kafkaops_x509_error_text(int code);

/* The certificates of a PKCS#12 file (a Java PKCS12 truststore) as PEM text, in *out (malloc'd, NUL-
   terminated; the caller frees it with kafkaops_free). 0: ok; 1: the file cannot be read; 2: not
   PKCS#12; 3: the password does not open it; 4: it holds no certificate; 5: out of memory. */
int kafkaops_pkcs12_certificates_pem(const char *path, const char *password, char **out);

void kafkaops_free(void *p);

#endif
