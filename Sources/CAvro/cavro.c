#include "cavro.h"
#include <avro.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *p; size_t n, cap; int oom; } buf_t;

static void put(buf_t *b, const char *s, size_t n) {
    if (b->oom) return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->n + n + 1 > cap) cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) { b->oom = 1; return; }
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

static void put_hex(buf_t *b, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    char two[2];
    put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) { two[0] = hex[p[i] >> 4]; two[1] = hex[p[i] & 15]; put(b, two, 2); }
    put(b, "\"", 1);
}

/* A JSON string; bytes are copied as they are except the ones JSON must escape (the text is sanitised
   for the terminal later, after it is parsed). Invalid UTF-8 stays for the caller's parser to refuse. */
static void put_string(buf_t *b, const char *s, size_t n) {
    char esc[8];
    put(b, "\"", 1);
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\') {
            if (i > run) put(b, s + run, i - run);
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(b, esc, 6);
            run = i + 1;
        }
    }
    if (n > run) put(b, s + run, n - run);
    put(b, "\"", 1);
}

static void put_double(buf_t *b, double d) {
    char tmp[40];
    if (isnan(d)) { puts_(b, "\"NaN\""); return; }
    if (isinf(d)) { puts_(b, d > 0 ? "\"Infinity\"" : "\"-Infinity\""); return; }
    snprintf(tmp, sizeof tmp, "%.17g", d);
    puts_(b, tmp);
}

static int walk(avro_value_t *v, buf_t *b, int depth) {
    char tmp[40];
    if (depth > 200) return EINVAL;
    switch (avro_value_get_type(v)) {
    case AVRO_NULL: puts_(b, "null"); return 0;
    case AVRO_BOOLEAN: { int x; if (avro_value_get_boolean(v, &x)) return EINVAL; puts_(b, x ? "true" : "false"); return 0; }
    case AVRO_INT32: { int32_t x; if (avro_value_get_int(v, &x)) return EINVAL; snprintf(tmp, sizeof tmp, "%d", x); puts_(b, tmp); return 0; }
    case AVRO_INT64: { int64_t x; if (avro_value_get_long(v, &x)) return EINVAL; snprintf(tmp, sizeof tmp, "%lld", (long long)x); puts_(b, tmp); return 0; }
    case AVRO_FLOAT: { float x; if (avro_value_get_float(v, &x)) return EINVAL; put_double(b, (double)x); return 0; }
    case AVRO_DOUBLE: { double x; if (avro_value_get_double(v, &x)) return EINVAL; put_double(b, x); return 0; }
    case AVRO_STRING: {
        const char *s; size_t n;
        if (avro_value_get_string(v, &s, &n)) return EINVAL;
        put_string(b, s, n > 0 ? n - 1 : 0); /* the size counts the NUL */
        return 0;
    }
    case AVRO_BYTES: { const void *p; size_t n; if (avro_value_get_bytes(v, &p, &n)) return EINVAL; put_hex(b, p, n); return 0; }
    case AVRO_FIXED: { const void *p; size_t n; if (avro_value_get_fixed(v, &p, &n)) return EINVAL; put_hex(b, p, n); return 0; }
    case AVRO_ENUM: {
        int x; if (avro_value_get_enum(v, &x)) return EINVAL;
        const char *sym = avro_schema_enum_get(avro_value_get_schema(v), x);
        if (!sym) return EINVAL;
        put_string(b, sym, strlen(sym));
        return 0;
    }
    case AVRO_RECORD: case AVRO_ARRAY: {
        size_t n; if (avro_value_get_size(v, &n)) return EINVAL;
        put(b, "[", 1);
        for (size_t i = 0; i < n; i++) {
            avro_value_t child;
            if (avro_value_get_by_index(v, i, &child, NULL)) return EINVAL;
            if (i) put(b, ",", 1);
            int rc = walk(&child, b, depth + 1);
            if (rc) return rc;
        }
        put(b, "]", 1);
        return 0;
    }
    case AVRO_MAP: {
        size_t n; if (avro_value_get_size(v, &n)) return EINVAL;
        put(b, "{", 1);
        for (size_t i = 0; i < n; i++) {
            avro_value_t child; const char *key = NULL;
            if (avro_value_get_by_index(v, i, &child, &key) || !key) return EINVAL;
            if (i) put(b, ",", 1);
            put_string(b, key, strlen(key));
            put(b, ":", 1);
            int rc = walk(&child, b, depth + 1);
            if (rc) return rc;
        }
        put(b, "}", 1);
        return 0;
    }
    case AVRO_UNION: {
        int d; avro_value_t branch;
        if (avro_value_get_discriminant(v, &d) || avro_value_get_current_branch(v, &branch)) return EINVAL;
        snprintf(tmp, sizeof tmp, "[%d,", d);
        puts_(b, tmp);
        int rc = walk(&branch, b, depth + 1);
        if (rc) return rc;
        put(b, "]", 1);
        return 0;
    }
    default: return EINVAL;
    }
}

static char *dup_line(const char *prefix, const char *detail) {
    size_t n = strlen(prefix) + (detail ? strlen(detail) + 2 : 0) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    snprintf(s, n, detail && *detail ? "%s: %s" : "%s", prefix, detail ? detail : "");
    for (char *c = s; *c; c++) if (*c == '\n' || *c == '\r') *c = ' ';
    return s;
}

int kafkaops_avro_check_schema(const char *schema_json, size_t schema_len, char **out_error) {
    avro_schema_t schema;
    if (out_error) *out_error = NULL;
    if (avro_schema_from_json_length(schema_json, schema_len, &schema)) {
        if (out_error) *out_error = dup_line("the Avro schema does not parse", avro_strerror());
        return 1;
    }
    avro_schema_decref(schema);
    return 0;
}

struct kafkaops_avro_schema {
    avro_schema_t schema;
    avro_value_iface_t *iface;
    avro_value_t value;
    avro_reader_t reader;
};

kafkaops_avro_schema *kafkaops_avro_schema_new(const char *schema_json, size_t schema_len, char **out_error) {
    if (out_error) *out_error = NULL;
    kafkaops_avro_schema *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    if (avro_schema_from_json_length(schema_json, schema_len, &h->schema)) {
        if (out_error) *out_error = dup_line("the Avro schema does not parse", avro_strerror());
        free(h);
        return NULL;
    }
    h->iface = avro_generic_class_from_schema(h->schema);
    if (!h->iface) {
        if (out_error) *out_error = dup_line("the Avro schema cannot be used", avro_strerror());
        avro_schema_decref(h->schema); free(h);
        return NULL;
    }
    if (avro_generic_value_new(h->iface, &h->value)) {
        avro_value_iface_decref(h->iface); avro_schema_decref(h->schema); free(h);
        return NULL;
    }
    h->reader = avro_reader_memory("", 0);
    if (!h->reader) { kafkaops_avro_schema_free(h); return NULL; }
    return h;
}

void kafkaops_avro_schema_free(kafkaops_avro_schema *h) {
    if (!h) return;
    if (h->reader) avro_reader_free(h->reader);
    avro_value_decref(&h->value);
    avro_value_iface_decref(h->iface);
    avro_schema_decref(h->schema);
    free(h);
}

int kafkaops_avro_decode_with(kafkaops_avro_schema *h, const unsigned char *data, size_t len, char **out_json, char **out_error) {
    *out_json = NULL;
    if (out_error) *out_error = NULL;
    avro_value_reset(&h->value);
    avro_reader_memory_set_source(h->reader, (const char *)data, (int64_t)len);
    if (avro_value_read(h->reader, &h->value)) {
        if (out_error) *out_error = dup_line("the Avro body does not decode (truncated or corrupt)", avro_strerror());
        return 2;
    }
    size_t used = 0;
    if (avro_value_sizeof(&h->value, &used) == 0 && used != len) {
        if (out_error) {
            char tmp[96];
            snprintf(tmp, sizeof tmp, "%zu byte(s) left after the Avro value", len > used ? len - used : 0);
            *out_error = dup_line(tmp, NULL);
        }
        return 3;
    }
    buf_t b = {0};
    if (walk(&h->value, &b, 0)) {
        free(b.p);
        if (out_error) *out_error = dup_line("the Avro value cannot be read", NULL);
        return 2;
    }
    if (b.oom) { free(b.p); return 4; }
    *out_json = b.p ? b.p : strdup("null");
    return 0;
}

int kafkaops_avro_decode(const char *schema_json, size_t schema_len, const unsigned char *data, size_t len,
                         char **out_json, char **out_error) {
    *out_json = NULL;
    kafkaops_avro_schema *h = kafkaops_avro_schema_new(schema_json, schema_len, out_error);
    if (!h) return (out_error && *out_error) ? 1 : 4;
    int rc = kafkaops_avro_decode_with(h, data, len, out_json, out_error);
    kafkaops_avro_schema_free(h);
    return rc;
}

void kafkaops_avro_free(void *p) { free(p); }
