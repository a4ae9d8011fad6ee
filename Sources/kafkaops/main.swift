import KafkaOpsKafka
print("kafkaops (librdkafka \(librdkafkaVersion()))")
