#ifndef KAFKAOPS_CPROTOBUF_H
#define KAFKAOPS_CPROTOBUF_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decodes a Protobuf message with Google's protobuf library from `.proto` texts: files[nfiles-1] is the
   schema, the others the files it imports (names as the import lines spell them); google/protobuf/*
   imports come from the library itself. `indexes` pick the message (Confluent's message indexes: the
   first among the file's top-level messages, the next among that one's nested messages, ...).
   On 0: *out_json is the message as proto3 JSON (proto field names, defaults printed), *out_type its full
   name, *out_unknown the fields the schema does not name as a raw-decode JSON object ("{}" when none).
   Otherwise 1: a .proto does not parse or build, 2: the indexes point nowhere, 3: the body does not
   decode, 4: out of memory; *out_error holds one line. Every string is malloc'd (free with
   kafkaops_protobuf_free) and may be NULL. */
int kafkaops_protobuf_decode(const char *const *names, const char *const *texts, const size_t *text_lens, size_t nfiles,
                             const int32_t *indexes, size_t nindexes,
                             const unsigned char *data, size_t len,
                             char **out_json, char **out_type, char **out_unknown, char **out_error);

/* A decode without a schema, as `protoc --decode_raw` does: *out_json an object of field numbers (a
   repeated number is an array; a length-delimited field is a nested object when it parses as one, else a
   string when UTF-8, else hex), *out_text protoc's text. 0 on success, 3 when the bytes are not Protobuf. */
int kafkaops_protobuf_decode_raw(const unsigned char *data, size_t len, char **out_json, char **out_text, char **out_error);

void kafkaops_protobuf_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
