#ifndef KAFKAOPS_CRDKAFKA_SHIM_H
#define KAFKAOPS_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>

/* rd_kafka_producev is variadic, which Swift cannot call: this wrapper copies key and
   value (RD_KAFKA_MSG_F_COPY). has_key / has_value distinguish a null key or value from an
   empty one. On success librdkafka owns hdrs; on failure the caller still owns it. */
static inline rd_kafka_resp_err_t kafkaops_produce(rd_kafka_t *rk, const char *topic, int32_t partition,
                                                   const void *key, size_t key_len, int has_key,
                                                   const void *value, size_t value_len, int has_value,
                                                   rd_kafka_headers_t *hdrs, int64_t timestamp,
                                                   void *msg_opaque) {
    static const char empty = 0;
    const void *k = has_key ? (key ? key : (const void *)&empty) : NULL;
    void *v = has_value ? (void *)(value ? value : (const void *)&empty) : NULL;
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_TOPIC(topic),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY(k, has_key ? key_len : 0),
                             RD_KAFKA_V_VALUE(v, has_value ? value_len : 0),
                             RD_KAFKA_V_HEADERS(hdrs),
                             RD_KAFKA_V_TIMESTAMP(timestamp),
                             RD_KAFKA_V_OPAQUE(msg_opaque),
                             RD_KAFKA_V_END);
}

#endif
