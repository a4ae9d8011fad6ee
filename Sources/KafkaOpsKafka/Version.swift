import KafkaOpsCore
import CRdKafka

/// librdkafka version string, e.g. "2.8.0".
public func librdkafkaVersion() -> String { String(cString: rd_kafka_version_str()) }
