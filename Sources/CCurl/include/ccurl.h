#ifndef KAFKAOPS_CCURL_H
#define KAFKAOPS_CCURL_H
#include <stddef.h>

/* One HTTP GET with libcurl, bounded by `timeout_ms` in all (connect, TLS, answer). The schema registry
   client's only transport (it only GETs). `headers` are "Name: value" lines (the
   Authorization header among them); `ca_file`, `cert_file`, `key_file` may be NULL (system CAs, no client
   certificate). `max_body` caps the answer (a larger one is an error, not a cut). Returns 0 with *status and
   *body (malloc'd, NUL-terminated, *body_len bytes); otherwise 1: cannot connect or TLS failed, 2: timed out,
   3: the answer is too large, 4: out of memory; *error then holds one line (malloc'd) without the URL's
   user info or query. Free with kafkaops_http_free. */
int kafkaops_http_get(const char *url, const char *const *headers, size_t nheaders,
                      const char *ca_file, const char *cert_file, const char *key_file, long timeout_ms, size_t max_body,
                      long *status, char **body, size_t *body_len, char **error);

/* The same as one POST of `send` (`send_len` bytes; the Content-Type goes in `headers`): `kafkaops watch`'s
   Alertmanager client. `send` NULL is a GET. */
int kafkaops_http_post(const char *url, const char *const *headers, size_t nheaders, const char *send, size_t send_len,
                       const char *ca_file, const char *cert_file, const char *key_file, long timeout_ms, size_t max_body,
                       long *status, char **body, size_t *body_len, char **error);

void kafkaops_http_free(void *p);

#endif
