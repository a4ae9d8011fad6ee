#ifndef KAFKAOPS_CRDKAFKA_SHIM_H
#define KAFKAOPS_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#endif
