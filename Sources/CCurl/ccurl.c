#include "ccurl.h"
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *p; size_t n, cap, max; int too_large, oom; } body_t;

static size_t on_data(char *data, size_t size, size_t nmemb, void *user) {
    body_t *b = user;
    size_t n = size * nmemb;
    if (b->n + n > b->max) { b->too_large = 1; return 0; }
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + n + 1 > cap) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = 1; return 0; }
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->n, data, n);
    b->n += n;
    b->p[b->n] = 0;
    return n;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static char *line(const char *s) {
    char *d = strdup(s ? s : "");
    if (d) for (char *c = d; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
    return d;
}

int kafkaops_http_get(const char *url, const char *const *headers, size_t nheaders,
                      const char *ca_file, const char *cert_file, const char *key_file, long timeout_ms, size_t max_body,
                      long *status, char **body, size_t *body_len, char **error) {
    return kafkaops_http_post(url, headers, nheaders, NULL, 0, ca_file, cert_file, key_file, timeout_ms, max_body,
                              status, body, body_len, error);
}

int kafkaops_http_post(const char *url, const char *const *headers, size_t nheaders, const char *send, size_t send_len,
                       const char *ca_file, const char *cert_file, const char *key_file, long timeout_ms, size_t max_body,
                       long *status, char **body, size_t *body_len, char **error) {
    *status = 0; *body = NULL; *body_len = 0; *error = NULL;
    pthread_once(&once, global_init);
    CURL *c = curl_easy_init();
    if (!c) return 4;
    char errbuf[CURL_ERROR_SIZE] = {0};
    struct curl_slist *list = NULL;
    for (size_t i = 0; i < nheaders; i++) list = curl_slist_append(list, headers[i]);
    body_t b = {0};
    b.max = max_body;
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (send) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, send);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)send_len);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);          /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);    /* a redirect is an answer, not a second request */
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    if (ca_file) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
    if (cert_file) curl_easy_setopt(c, CURLOPT_SSLCERT, cert_file);
    if (key_file) curl_easy_setopt(c, CURLOPT_SSLKEY, key_file);
    CURLcode rc = curl_easy_perform(c);
    int result = 0;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
        *body = b.p ? b.p : strdup("");
        *body_len = b.n;
        if (!*body) result = 4;
    } else {
        free(b.p);
        if (b.too_large) { result = 3; *error = line("the answer is larger than the limit"); }
        else if (b.oom) result = 4;
        else if (rc == CURLE_OPERATION_TIMEDOUT) { result = 2; *error = line("no answer in time"); }
        else { result = 1; *error = line(errbuf[0] ? errbuf : curl_easy_strerror(rc)); }
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    return result;
}

void kafkaops_http_free(void *p) { free(p); }
