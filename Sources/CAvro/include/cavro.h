#ifndef KAFKAOPS_CAVRO_H
#define KAFKAOPS_CAVRO_H
#include <stddef.h>
#include <stdint.h>

/* Decodes one Avro binary datum written with `schema_json` (Apache Avro's C library) into a compact
   JSON text that keeps the schema's order: a record is an array of its field values in schema order,
   a union is [branch index, value], an enum is its symbol, a map is an object, bytes and fixed are
   lower-case hex strings, floats that are not finite are the strings "NaN", "Infinity", "-Infinity".
   The caller applies names and logical types from the schema (KafkaOpsCore's AvroPresentation).
   Returns 0 and sets *out_json (malloc'd, NUL-terminated; free with kafkaops_avro_free); otherwise
   1: the schema does not parse, 2: the body does not decode (truncated or corrupt), 3: bytes left after
   the value, 4: out of memory; *out_error then holds one line (malloc'd, may be NULL). */
int kafkaops_avro_decode(const char *schema_json, size_t schema_len, const unsigned char *data, size_t len,
                         char **out_json, char **out_error);

/* 0 when `schema_json` parses as an Avro schema; otherwise 1 and *out_error as above. */
int kafkaops_avro_check_schema(const char *schema_json, size_t schema_len, char **out_error);

/* The same with a schema parsed once: kafkaops_avro_schema_new returns NULL (and *out_error) when the schema
   does not parse. A schema is used by one thread at a time; free it with kafkaops_avro_schema_free. */
typedef struct kafkaops_avro_schema kafkaops_avro_schema;
kafkaops_avro_schema *kafkaops_avro_schema_new(const char *schema_json, size_t schema_len, char **out_error);
int kafkaops_avro_decode_with(kafkaops_avro_schema *schema, const unsigned char *data, size_t len, char **out_json, char **out_error);
void kafkaops_avro_schema_free(kafkaops_avro_schema *schema);

void kafkaops_avro_free(void *p);

#endif
